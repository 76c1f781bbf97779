import Foundation
import PerceptData

/// libFuzzer entry: the gzip decoder on arbitrary bytes.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzGzip(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    _ = try? Gzip.decompress(Data(bytes: bytes, count: count), path: "fuzz.gz")
    return 0
}
