import Foundation
import PerceptIO
import PerceptTensor

/// libFuzzer entry: a model file (safetensors with the architecture JSON) from arbitrary bytes;
/// a model it accepts must run a forward pass on zeros. (Only for small inputs: what a forward pass
/// allocates is set by the architecture — a convolution's patch matrix is positions × window — not
/// by the file, and reading is what is under test.)
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzModelFile(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    guard let file = try? SafetensorsFile.decode(Data(bytes: bytes, count: count), path: "fuzz.safetensors"),
          let model = try? ModelFile.decode(file, path: "fuzz.safetensors"), let shape = model.inputShape,
          shape.reduce(1, *) <= 4096
    else { return 0 }
    _ = try? model.rawOutputs(Tensor(zeros: [1] + shape))
    return 0
}
