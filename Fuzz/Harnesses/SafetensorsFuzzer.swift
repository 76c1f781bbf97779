import Foundation
import PerceptIO

/// libFuzzer entry: the safetensors reader on arbitrary bytes; what it accepts must encode again
/// and read back equal.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSafetensors(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    guard let file = try? SafetensorsFile.decode(Data(bytes: bytes, count: count), path: "fuzz.safetensors") else {
        return 0
    }
    if file.tensors.allSatisfy({ $0.tensor.isFinite }), let again = try? file.encoded() {
        let reread = try? SafetensorsFile.decode(again, path: "re-encoded")
        precondition(reread?.tensors.map(\.tensor) == file.tensors.map(\.tensor), "a round trip changed the tensors")
    }
    return 0
}
