import PerceptTensor

// Backward rules of pooling on NHWC images, per channel.
//
//   op                       forward                          ∂/∂x
//   maxPool2D(x)             max over each window             g at the window's winner (first
//                                                             maximum), zero elsewhere
//   avgPool2D(x)             mean over each window's cells    g / N spread over the N cells
//                            inside the image                 (1 / k² for a k × k window)
//   globalAvgPool2D(x)       mean over height and width       g / (h · w) at every cell

/// Max pooling over the windows of `geometry`: `[n, h, w, c]` → `[n, oh, ow, c]`.
public func maxPool2D(_ x: Variable, geometry: WindowGeometry) -> Variable {
    let (values, winners) = Tensor.maxPooled(x.value, geometry: geometry)
    return record("maxPool2D", values, inputs: [x]) { g, _ in
        [Tensor.maxPoolGradient(g, winners: winners, geometry: geometry)]
    }
}

/// Average pooling over the windows of `geometry`: `[n, h, w, c]` → `[n, oh, ow, c]`.
public func avgPool2D(_ x: Variable, geometry: WindowGeometry) -> Variable {
    record("avgPool2D", Tensor.averagePooled(x.value, geometry: geometry), inputs: [x]) { g, _ in
        [Tensor.averagePoolGradient(g, geometry: geometry)]
    }
}

/// The mean over the spatial axes: `[n, h, w, c]` → `[n, c]`.
public func globalAvgPool2D(_ x: Variable) -> Variable {
    precondition(x.value.rank == 4, "globalAvgPool2D expects [n, h, w, c], got \(x.shape)")
    let (n, cells, c) = (x.shape[0], x.shape[1] * x.shape[2], x.shape[3])
    let scale = 1 / Float(max(cells, 1))
    let output = x.value.withUnsafeBufferPointer { xs in
        Tensor(shape: [n, c]) { out in
            for i in 0..<n {
                let o = out.baseAddress! + i * c
                o.initialize(repeating: 0, count: c)
                for cell in 0..<cells {
                    let s = xs.baseAddress! + (i * cells + cell) * c
                    for j in 0..<c { o[j] += s[j] }
                }
                for j in 0..<c { o[j] *= scale }
            }
        }
    }
    return record("globalAvgPool2D", output, inputs: [x]) { g, _ in
        [g.withUnsafeBufferPointer { gs in
            Tensor(shape: x.shape) { out in
                for i in 0..<n {
                    let s = gs.baseAddress! + i * c
                    for cell in 0..<cells {
                        let o = out.baseAddress! + (i * cells + cell) * c
                        for j in 0..<c { o[j] = s[j] * scale }
                    }
                }
            }
        }]
    }
}
