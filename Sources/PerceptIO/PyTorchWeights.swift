import Foundation
import PerceptNN
import PerceptTensor

/// Loads weights saved from PyTorch (`safetensors.torch.save_file(model.state_dict(), …)`) into a
/// Percept model of the same architecture.
///
/// PyTorch names parameters `<module path>.weight` and `<module path>.bias`; modules are taken in
/// the order of their paths (numeric parts compared as numbers: `2` before `10`) and paired with
/// the model's layers that have parameters, in order. Layout conversions:
///
/// | Percept layer | PyTorch module | conversion |
/// |---|---|---|
/// | `Dense` kernel `[inputs, units]` | `nn.Linear` weight `[units, inputs]` | transpose |
/// | `Dense` bias `[units]` | `nn.Linear` bias `[units]` | none |
///
/// Tensors that are not `…weight` or `…bias` (buffers, extra data) are ignored.
public enum PyTorchWeights {
    /// Copies the weights of `file` into `model` (which must be built).
    public static func load(_ file: SafetensorsFile, into model: Sequential, path: String) throws {
        var modules: [String: [String: Tensor]] = [:]
        for (name, tensor) in file.tensors {
            guard let dot = name.lastIndex(of: "."), ["weight", "bias"].contains(String(name[name.index(after: dot)...])) else {
                continue
            }
            modules[String(name[..<dot]), default: [:]][String(name[name.index(after: dot)...])] = tensor
        }
        let order = modules.keys.sorted(by: naturalOrder)
        let layers = model.layers.filter { !$0.parameters.isEmpty }
        guard order.count == layers.count else {
            throw IOError.malformed(
                path: path,
                reason: "\(order.count) PyTorch modules with parameters (\(order.joined(separator: ", "))) for \(layers.count) Percept layers with parameters")
        }
        for (module, layer) in zip(order, layers) {
            let tensors = modules[module]!
            guard let dense = layer as? Dense, let kernel = dense.kernel else {
                throw IOError.unsupported(path: path, reason: "no PyTorch mapping for layer \(layer.name) (\(layer.typeName)) yet")
            }
            guard let weight = tensors["weight"], weight.shape == [kernel.shape[1], kernel.shape[0]] else {
                throw IOError.malformed(
                    path: path,
                    reason: "\(module).weight should be [\(kernel.shape[1]), \(kernel.shape[0])] for \(layer.name), found \(tensors["weight"].map { "\($0.shape)" } ?? "nothing")")
            }
            kernel.value = transposed(weight)
            if let bias = dense.bias {
                guard let stored = tensors["bias"], stored.shape == bias.shape else {
                    throw IOError.malformed(path: path, reason: "\(module).bias should be \(bias.shape) for \(layer.name)")
                }
                bias.value = stored
            } else if tensors["bias"] != nil {
                throw IOError.malformed(path: path, reason: "\(module).bias has no place: \(layer.name) has no bias")
            }
        }
    }

    /// `a` before `b`, comparing dot-separated parts as numbers when both are numbers.
    static func naturalOrder(_ a: String, _ b: String) -> Bool {
        let (x, y) = (a.split(separator: "."), b.split(separator: "."))
        for (p, q) in zip(x, y) where p != q {
            if let m = Int(p), let n = Int(q) { return m < n }
            return p < q
        }
        return x.count < y.count
    }

    private static func transposed(_ matrix: Tensor) -> Tensor {
        let (rows, columns) = (matrix.shape[0], matrix.shape[1])
        return matrix.withUnsafeBufferPointer { source in
            Tensor(shape: [columns, rows]) { out in
                for r in 0..<rows { for c in 0..<columns { out[c * rows + r] = source[r * columns + c] } }
            }
        }
    }
}
