import Foundation
import PerceptAutograd
import PerceptTensor
import Testing

/// The recurrent cells' outputs against an independent float64 NumPy implementation of the gate
/// equations (the script is below; it prints the `[2, 3, 3]` outputs, row-major).
///
/// ```python
/// import numpy as np
/// B,T,F,H=2,3,2,3
/// def x_(): return np.array([[[np.sin(1+7*b+3*t+f) for f in range(F)] for t in range(T)] for b in range(B)])
/// def w_(rows,cols,s): return np.array([[0.5*np.cos(s+5*i+j) for j in range(cols)] for i in range(rows)])
/// def b_(n,s): return np.array([0.1*np.sin(s+j) for j in range(n)])
/// sig=lambda z:1/(1+np.exp(-z))
/// x=x_()
/// mask=np.array([[1,1,1],[1,1,0]],dtype=float)
/// def lstm():
///     W=w_(F,4*H,1);U=w_(H,4*H,2);b=b_(4*H,3)
///     h=np.zeros((B,H));c=np.zeros((B,H));out=[]
///     for t in range(T):
///         a=x[:,t]@W+h@U+b
///         i,f,g,o=sig(a[:,:H]),sig(a[:,H:2*H]),np.tanh(a[:,2*H:3*H]),sig(a[:,3*H:])
///         cn=f*c+i*g;hn=o*np.tanh(cn);m=mask[:,t:t+1]
///         c=m*cn+(1-m)*c;h=m*hn+(1-m)*h;out.append(h)
///     return np.stack(out,1)
/// def gru():
///     W=w_(F,3*H,1);U=w_(H,3*H,2);b=b_(3*H,3);rb=b_(3*H,4)
///     h=np.zeros((B,H));out=[]
///     for t in range(T):
///         ax=x[:,t]@W+b;ah=h@U+rb
///         z=sig(ax[:,:H]+ah[:,:H]);r=sig(ax[:,H:2*H]+ah[:,H:2*H]);n=np.tanh(ax[:,2*H:]+r*ah[:,2*H:])
///         hn=z*h+(1-z)*n;m=mask[:,t:t+1];h=m*hn+(1-m)*h;out.append(h)
///     return np.stack(out,1)
/// def simple():
///     W=w_(F,H,1);U=w_(H,H,2);b=b_(H,3)
///     h=np.zeros((B,H));out=[]
///     for t in range(T):
///         hn=np.tanh(x[:,t]@W+h@U+b);m=mask[:,t:t+1];h=m*hn+(1-m)*h;out.append(h)
///     return np.stack(out,1)
/// for name,f in [("lstm",lstm),("gru",gru),("simple",simple)]:
///     print(name, ", ".join("%.8f"%v for v in f().ravel()))
/// ```
@Suite("Recurrent cells against NumPy reference values")
struct RecurrentReferenceTests {
    static let (batch, steps, features, units) = (2, 3, 2, 3)
    static let mask = Tensor(shape: [2, 3], scalars: [1, 1, 1, 1, 1, 0])

    static var x: Tensor {
        var values: [Float] = []
        for b in 0..<batch {
            for t in 0..<steps {
                for f in 0..<features { values.append(Float(sin(Double(1 + 7 * b + 3 * t + f)))) }
            }
        }
        return Tensor(shape: [batch, steps, features], scalars: values)
    }

    static func weights(_ rows: Int, _ columns: Int, _ s: Int) -> Tensor {
        var values: [Float] = []
        for i in 0..<rows {
            for j in 0..<columns { values.append(Float(0.5 * cos(Double(s + 5 * i + j)))) }
        }
        return Tensor(shape: [rows, columns], scalars: values)
    }

    static func bias(_ count: Int, _ s: Int) -> Tensor {
        var values: [Float] = []
        for j in 0..<count { values.append(Float(0.1 * sin(Double(s + j)))) }
        return Tensor(shape: [count], scalars: values)
    }

    static func run(_ cell: RecurrentCell) -> [Float] {
        let gates = cell.gateCount * units
        return recurrent(
            Variable(x), cell: cell, kernel: Variable(weights(features, gates, 1)),
            recurrentKernel: Variable(weights(units, gates, 2)), bias: Variable(bias(gates, 3)),
            recurrentBias: cell == .gru ? Variable(bias(gates, 4)) : nil, mask: mask
        ).value.scalars
    }

    static func expectClose(_ got: [Float], _ expected: [Double], sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(got.count == expected.count, sourceLocation: sourceLocation)
        for (g, e) in zip(got, expected) {
            #expect(abs(Double(g) - e) < 2e-6, "got \(g), expected \(e)", sourceLocation: sourceLocation)
        }
    }

    @Test func lstm() {
        let expected: [Double] = [
            0.12665899, 0.06040413, -0.08257050, 0.05501492, -0.06639929, -0.00809504,
            0.13141886, 0.04642639, -0.07348230, 0.10989400, 0.01309322, -0.10217261,
            0.01110678, -0.07571119, 0.03364445, 0.01110678, -0.07571119, 0.03364445]
        Self.expectClose(Self.run(.lstm), expected)
    }

    @Test func gru() {
        let expected: [Double] = [
            0.21902220, 0.12240913, -0.27576546, -0.36602197, -0.32997963, -0.12326006,
            -0.01678613, -0.03649198, -0.17685400, 0.20554129, 0.00406119, -0.33173105,
            -0.34062041, -0.25183546, -0.09865681, -0.34062041, -0.25183546, -0.09865681]
        Self.expectClose(Self.run(.gru), expected)
    }

    @Test func simpleRNN() {
        let expected: [Double] = [
            0.59020236, 0.09173407, -0.52162443, -0.74383850, -0.67243361, 0.07798050,
            0.53760036, 0.54627500, 0.06161904, 0.44563493, -0.12552529, -0.54805894,
            -0.70887541, -0.48537608, 0.30244298, -0.70887541, -0.48537608, 0.30244298]
        Self.expectClose(Self.run(.simple), expected)
    }
}
