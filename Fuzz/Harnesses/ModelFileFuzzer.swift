import Foundation
import PerceptIO
import PerceptTensor

/// libFuzzer entry: a model file (safetensors with the architecture JSON) from arbitrary bytes;
/// a model it accepts must run a forward pass on zeros.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzModelFile(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    guard let file = try? SafetensorsFile.decode(Data(bytes: bytes, count: count), path: "fuzz.safetensors"),
          let model = try? ModelFile.decode(file, path: "fuzz.safetensors"), let shape = model.inputShape
    else { return 0 }
    _ = try? model.rawOutputs(Tensor(zeros: [1] + shape))
    return 0
}
