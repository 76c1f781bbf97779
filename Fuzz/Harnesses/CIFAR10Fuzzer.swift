import Foundation
import PerceptData

/// libFuzzer entry: any bytes given to the CIFAR-10 binary batch parser must give a data set whose
/// sizes agree with the file, or a `DataError`, never a crash, hang or leak.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCIFAR10(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let data = Data(bytes: bytes, count: count)
    if let dataset = try? CIFAR10.parse(batches: [("fuzz.bin", data)]) {
        precondition(dataset.count * CIFAR10.recordBytes == count, "record count disagrees with the file size")
        precondition(dataset.labels.allSatisfy { (0..<10).contains($0) }, "a label outside 0..<10")
    }
    return 0
}
