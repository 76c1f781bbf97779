import Foundation
import PerceptIO
import PerceptTensor

/// libFuzzer entry: a model file of any kind (a network, a text classifier or a classical
/// classifier: safetensors with the JSON description) from arbitrary bytes; a model it accepts must
/// predict on zeros. (Only for small inputs: what a forward pass allocates is set by the
/// architecture — a convolution's patch matrix is positions × window — not by the file, and
/// reading is what is under test.)
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzModelFile(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    guard let file = try? SafetensorsFile.decode(Data(bytes: bytes, count: count), path: "fuzz.safetensors"),
          let model = try? SavedModel.decode(file, path: "fuzz.safetensors")
    else { return 0 }
    switch model {
    case let .network(network):
        guard let shape = network.inputShape, shape.reduce(1, *) <= 4096 else { return 0 }
        _ = try? network.rawOutputs(Tensor(zeros: [1] + shape))
    case let .textClassifier(classifier):
        guard classifier.maxLength <= 4096 else { return 0 }
        _ = try? classifier.positiveProbabilities(["a film", ""])
    case let .classifier(classifier):
        guard let features = classifier.featureCount, features <= 4096 else { return 0 }
        _ = try? classifier.predict(Tensor(zeros: [2, features]))
    }
    return 0
}
