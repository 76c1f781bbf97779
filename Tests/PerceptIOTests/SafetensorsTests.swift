import Foundation
@testable import PerceptIO
import PerceptTensor
import Testing

/// Builds a safetensors file by hand: header JSON text and raw data bytes.
func handMade(_ header: String, data: [UInt8] = []) -> Data {
    var bytes = Data()
    withUnsafeBytes(of: UInt64(header.utf8.count).littleEndian) { bytes.append(contentsOf: $0) }
    bytes.append(contentsOf: Array(header.utf8))
    bytes.append(contentsOf: data)
    return bytes
}

func floatBytes(_ values: [Float]) -> [UInt8] {
    values.flatMap { value in withUnsafeBytes(of: value.bitPattern.littleEndian) { Array($0) } }
}

@Suite("safetensors")
struct SafetensorsTests {
    @Test func roundTripKeepsNamesShapesValuesAndMetadata() throws {
        let file = SafetensorsFile(
            tensors: [("b", Tensor(shape: [2, 3], scalars: [1, -2, 3.5, .nan, .infinity, 0])), ("a", Tensor(4)),
                      ("empty", Tensor(zeros: [0, 5]))],
            metadata: ["key": "value"])
        let data = try file.encoded()
        #expect(data.count % 4 == 0)
        let headerLength = data.prefix(8).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        #expect((8 + headerLength) % 8 == 0, "data starts 8-byte aligned")
        let decoded = try SafetensorsFile.decode(data, path: "t")
        #expect(decoded.metadata == ["key": "value"])
        #expect(decoded.tensors.map(\.name) == ["b", "a", "empty"])
        let b = try #require(decoded["b"])
        #expect(b.shape == [2, 3])
        #expect(b.scalars[0] == 1 && b.scalars[2] == 3.5 && b.scalars[3].isNaN && b.scalars[4] == .infinity)
        #expect(decoded["a"] == Tensor(4))
        #expect(decoded["empty"]?.shape == [0, 5])
    }

    @Test func readsOtherFloatTypes() throws {
        // F64 1.5, F16 −2 (0xC000), BF16 0.5 (0x3F00).
        var data = withUnsafeBytes(of: Double(1.5).bitPattern.littleEndian) { Array($0) }
        data += [0x00, 0xC0, 0x00, 0x3F]
        let header = #"{"d":{"dtype":"F64","shape":[1],"data_offsets":[0,8]},"h":{"dtype":"F16","shape":[1],"data_offsets":[8,10]},"#
            + #""b":{"dtype":"BF16","shape":[],"data_offsets":[10,12]}}"#
        let file = try SafetensorsFile.decode(handMade(header, data: data), path: "t")
        #expect(file["d"]?.scalars == [1.5])
        #expect(file["h"]?.scalars == [-2])
        #expect(file["b"]?.scalars == [0.5])
    }

    @Test func halfPrecisionDecodesSubnormalsAndSpecials() {
        #expect(Float(float16Bits: 0x3C00) == 1)
        #expect(Float(float16Bits: 0x0001) == 0x1p-24)
        #expect(Float(float16Bits: 0x7C00) == .infinity)
        #expect(Float(float16Bits: 0x7E00).isNaN)
        #expect(Float(float16Bits: 0x8000) == 0 && Float(float16Bits: 0x8000).sign == .minus)
        #expect(Float(float16Bits: 0x7BFF) == 65504)
    }

    static let badFiles: [(String, Data, String)] = [
        ("empty file", Data(), "shorter than the 8-byte header length"),
        ("header length beyond the file", handMade("{}").prefix(8) + Data([0x7B]), "exceeds"),
        ("huge header length", Data([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F]) + Data("{}".utf8), "exceeds"),
        ("not JSON", handMade("{not json"), "not a JSON object"),
        ("not an object", handMade("[1, 2]"), "does not start with '{'"),
        ("entry not an object", handMade(#"{"x": 3}"#), "not an object"),
        ("no dtype", handMade(#"{"x":{"shape":[1],"data_offsets":[0,4]}}"#, data: floatBytes([1])), "no dtype"),
        ("one offset", handMade(#"{"x":{"dtype":"F32","shape":[1],"data_offsets":[0]}}"#, data: floatBytes([1])), "two data_offsets"),
        ("negative offset", handMade(#"{"x":{"dtype":"F32","shape":[1],"data_offsets":[-4,0]}}"#), "non-negative integer"),
        ("fractional extent", handMade(#"{"x":{"dtype":"F32","shape":[0.5],"data_offsets":[0,0]}}"#), "non-negative integer"),
        ("offsets past the data", handMade(#"{"x":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#, data: floatBytes([1])), "spans bytes"),
        ("reversed offsets", handMade(#"{"x":{"dtype":"F32","shape":[0],"data_offsets":[4,0]}}"#, data: floatBytes([1])), "spans bytes"),
        ("gap", handMade(#"{"x":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#, data: floatBytes([1, 2])), "gap"),
        ("overlap", handMade(#"{"x":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"y":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#,
                             data: floatBytes([1, 2])), "overlap"),
        ("uncovered tail", handMade(#"{"x":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#, data: floatBytes([1, 2])), "cover 4 of the 8"),
        ("shape and bytes disagree", handMade(#"{"x":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}"#, data: floatBytes([1, 2])), "needs 12 bytes"),
        ("overflowing shape", handMade(#"{"x":{"dtype":"F32","shape":[4294967296,4294967296,4294967296],"data_offsets":[0,4]}}"#,
                                       data: floatBytes([1])), "overflows"),
        ("huge shape", handMade(#"{"x":{"dtype":"F32","shape":[1000000000000],"data_offsets":[0,4]}}"#, data: floatBytes([1])), "needs"),
        ("wrong dtype", handMade(#"{"x":{"dtype":"I64","shape":[1],"data_offsets":[0,8]}}"#, data: [UInt8](repeating: 0, count: 8)), "dtype I64"),
        ("metadata not strings", handMade(#"{"__metadata__":{"a":1}}"#), "not a string"),
    ]

    @Test(arguments: badFiles.indices)
    func badFilesAreRefusedWithTheReason(index: Int) {
        let (what, data, reason) = Self.badFiles[index]
        do {
            _ = try SafetensorsFile.decode(data, path: "bad.safetensors")
            Issue.record("\(what): accepted")
        } catch {
            let message = "\(error)"
            #expect(message.hasPrefix("bad.safetensors: "), "\(what): \(message)")
            #expect(message.contains(reason), "\(what): \(message)")
        }
    }

    @Test func everyTruncationOfAValidFileIsRefused() throws {
        let data = try SafetensorsFile(tensors: [("w", Tensor(shape: [2, 2], scalars: [1, 2, 3, 4])), ("b", Tensor(zeros: [2]))],
                                       metadata: ["m": "x"]).encoded()
        for length in 0..<data.count {
            #expect(throws: IOError.self, "truncated to \(length) bytes") {
                _ = try SafetensorsFile.decode(data.prefix(length), path: "t")
            }
        }
    }

    @Test func aMissingFileIsNamed() {
        #expect(throws: IOError.self) {
            _ = try SafetensorsFile.read(contentsOf: URL(fileURLWithPath: "/nonexistent/model.safetensors"))
        }
    }
}
