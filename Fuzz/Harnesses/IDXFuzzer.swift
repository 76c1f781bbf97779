import Foundation
import PerceptData

/// libFuzzer entry: any bytes given to the IDX parser (raw or gzip) must give an array or a
/// `DataError`, never a crash, hang or leak.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzIDX(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let data = Data(bytes: bytes, count: count)
    if let array = try? IDXFile.parse(data, path: "fuzz.idx") {
        precondition(array.count == array.dimensions.reduce(1, *), "element count disagrees with the dimensions")
    }
    return 0
}
