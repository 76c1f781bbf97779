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
/// | `Conv2D` kernel `[kh, kw, in, out]` | `nn.Conv2d` weight `[out, in, kh, kw]` | axes (2, 3, 1, 0) |
/// | `Conv2D` bias `[out]` | `nn.Conv2d` bias `[out]` | none |
/// | `Dense` right after `Flatten` of `[h, w, c]` | `nn.Linear` after `nn.Flatten` of `[c, h, w]` | the inputs reordered from (c, h, w) to (h, w, c), then transposed |
///
/// Percept's images are channels-last (NHWC) and PyTorch's channels-first (NCHW), so the same
/// network flattens its feature maps in a different order; the reordering above accounts for it.
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
        guard let inputShape = model.inputShape else { throw IOError.unsupported(path: path, reason: "the model is not built") }
        let inputShapes = [inputShape] + model.outputShapes.dropLast()
        let layers = zip(model.layers.indices, model.layers).filter { !$0.1.parameters.isEmpty }
        guard order.count == layers.count else {
            throw IOError.malformed(
                path: path,
                reason: "\(order.count) PyTorch modules with parameters (\(order.joined(separator: ", "))) for \(layers.count) Percept layers with parameters")
        }
        for (module, (index, layer)) in zip(order, layers) {
            let tensors = modules[module]!
            let (weight, bias) = try convertedParameters(
                of: layer, from: tensors, module: module, path: path,
                flattenedFrom: index > 0 && model.layers[index - 1] is Flatten ? inputShapes[index - 1] : nil)
            let (kernelVariable, biasVariable) = (layer.parameters[0], layer.parameters.count > 1 ? layer.parameters[1] : nil)
            kernelVariable.value = weight
            if let biasVariable {
                guard let bias, bias.shape == biasVariable.shape else {
                    throw IOError.malformed(path: path, reason: "\(module).bias should be \(biasVariable.shape) for \(layer.name)")
                }
                biasVariable.value = bias
            } else if bias != nil {
                throw IOError.malformed(path: path, reason: "\(module).bias has no place: \(layer.name) has no bias")
            }
        }
    }

    /// The layer's kernel converted from the PyTorch weight, and the bias as stored.
    private static func convertedParameters(
        of layer: any Layer, from tensors: [String: Tensor], module: String, path: String, flattenedFrom: [Int]?
    ) throws -> (Tensor, Tensor?) {
        let kernel = layer.parameters[0]
        func expect(_ shape: [Int]) throws -> Tensor {
            guard let weight = tensors["weight"], weight.shape == shape else {
                throw IOError.malformed(
                    path: path,
                    reason: "\(module).weight should be \(shape) for \(layer.name), found \(tensors["weight"].map { "\($0.shape)" } ?? "nothing")")
            }
            return weight
        }
        switch layer {
        case is Dense:
            let (inputs, units) = (kernel.shape[0], kernel.shape[1])
            let weight = try expect([units, inputs])
            if let source = flattenedFrom, source.count == 3 {
                let (h, w, c) = (source[0], source[1], source[2])
                return (Tensor(shape: [inputs, units]) { out in
                    for u in 0..<units {
                        for hi in 0..<h { for wi in 0..<w { for ci in 0..<c {
                            out[((hi * w + wi) * c + ci) * units + u] = weight.scalars[u * inputs + (ci * h + hi) * w + wi]
                        } } }
                    }
                }, tensors["bias"])
            }
            return (transposed(weight), tensors["bias"])
        case is Conv2D:
            let (kh, kw, cin, cout) = (kernel.shape[0], kernel.shape[1], kernel.shape[2], kernel.shape[3])
            let weight = try expect([cout, cin, kh, kw])
            return (Tensor(shape: kernel.shape) { out in
                for o in 0..<cout { for i in 0..<cin { for y in 0..<kh { for x in 0..<kw {
                    out[((y * kw + x) * cin + i) * cout + o] = weight.scalars[((o * cin + i) * kh + y) * kw + x]
                } } } }
            }, tensors["bias"])
        default:
            throw IOError.unsupported(path: path, reason: "no PyTorch mapping for layer \(layer.name) (\(layer.typeName)) yet")
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
