import CLIPNetwork
import Foundation
import Testing

/// The safetensors container: conversions and every kind of broken header.
@Suite struct SafeTensorsFileTests {
    static let path = "broken.safetensors"
    static let goodFile = ModelFixture(name: "laion-f16").directory.appendingPathComponent("model.safetensors")

    /// A two-tensor file: `a` F32 [2] at [0, 8), `b` F32 [2] at [8, 16).
    static func twoTensorHeader(a: [Int] = [0, 8], b: [Int] = [8, 16], dtypeB: String = "F32", shapeB: [Int] = [2]) -> [String: Any] {
        [
            "a": ["dtype": "F32", "shape": [2], "data_offsets": a],
            "b": ["dtype": dtypeB, "shape": shapeB, "data_offsets": b]
        ]
    }

    static func open(_ data: Data) throws -> SafeTensorsFile { try SafeTensorsFile(data: data, path: path) }

    @Test func convertsF32F16BF16AndIntegers() throws {
        var builder = SafeTensorsBuilder()
        builder.metadata = ["fixture_version": "x"]
        let halves: [UInt16] = [0x3C00, 0xC000, 0x7BFF, 0x0001, 0x0400, 0x8000, 0x7C00, 0x3555]
        let bfloats: [UInt16] = [0x3F80, 0xC040, 0x0000]
        func bytes<T: FixedWidthInteger>(_ values: [T]) -> Data {
            var data = Data()
            for value in values { withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) } }
            return data
        }
        builder.entries = [
            .init(name: "f32", dtype: "F32", shape: [1, 3], bytes: SafeTensorsBuilder.float32Bytes([1.5, -2, 3e-8])),
            .init(name: "f16", dtype: "F16", shape: [8], bytes: bytes(halves)),
            .init(name: "bf16", dtype: "BF16", shape: [3], bytes: bytes(bfloats)),
            .init(name: "i64", dtype: "I64", shape: [2], bytes: bytes([Int64(49407), -1])),
            .init(name: "scalar", dtype: "F32", shape: [], bytes: SafeTensorsBuilder.float32Bytes([2.6592]))
        ]
        let file = try Self.open(try builder.encoded())
        #expect(file.metadata == ["fixture_version": "x"])
        #expect(try file.floats("f32") == [1.5, -2, 3e-8])
        let f16 = try file.floats("f16")
        #expect(Array(f16.prefix(6)) == [1, -2, 65504, 0x1p-24, 0x1p-14, 0])
        #expect(f16[5].sign == .minus && f16[6] == .infinity && abs(f16[7] - 1.0 / 3) < 1e-3)
        #expect(try file.floats("bf16") == [1, -3, 0])
        #expect(try file.integers("i64") == [49407, -1])
        #expect(try file.floats("scalar") == [2.6592])
        #expect(try file.info("scalar").elementCount == 1)
        #expect(throws: CLIPNetworkError.unsupportedDType(tensor: "i64", dtype: "I64", supported: ["F32", "F16", "BF16"])) {
            try file.floats("i64")
        }
        #expect(throws: CLIPNetworkError.tensorNotFound(path: Self.path, tensor: "nope")) { try file.floats("nope") }
    }

    @Test func missingFile() {
        let url = URL(fileURLWithPath: "/nonexistent/model.safetensors")
        #expect(throws: CLIPNetworkError.self) { try SafeTensorsFile(contentsOf: url) }
    }

    @Test func truncatedFile() throws {
        let good = try Data(contentsOf: Self.goodFile)
        let error = #expect(throws: CLIPNetworkError.self) { try Self.open(good.prefix(good.count - 100)) }
        guard case .offsetsOutOfRange(_, _, _, let end, let size)? = error else {
            Issue.record("expected offsetsOutOfRange, got \(String(describing: error))")
            return
        }
        #expect(end == size + 100)
        #expect(throws: CLIPNetworkError.safeTensorsTooSmall(path: Self.path, size: 5)) { try Self.open(good.prefix(5)) }
    }

    @Test func headerLengthBeyondFile() throws {
        let data = SafeTensorsBuilder.encode(rawHeader: Data("{}".utf8), data: Data(), declaredLength: 1 << 40)
        #expect(throws: CLIPNetworkError.safeTensorsHeaderLength(path: Self.path, headerLength: 1 << 40, fileSize: data.count)) {
            try Self.open(data)
        }
    }

    @Test func badJSON() throws {
        for header in [#"{"a": ["#, "[1, 2]", #"{"a": 1}"#] {
            let error = #expect(throws: CLIPNetworkError.self) {
                try Self.open(SafeTensorsBuilder.encode(rawHeader: Data(header.utf8), data: Data()))
            }
            switch error {
            case .safeTensorsHeader?, .safeTensorsEntry(_, "a", _)?: break
            default: Issue.record("\(header): unexpected \(String(describing: error))")
            }
        }
    }

    @Test func metadataMustMapStrings() throws {
        let header: [String: Any] = ["__metadata__": ["version": 1]]
        let error = #expect(throws: CLIPNetworkError.self) { try Self.open(SafeTensorsBuilder.encode(header: header, data: Data())) }
        guard case .safeTensorsHeader(_, let reason)? = error else {
            Issue.record("got \(String(describing: error))")
            return
        }
        #expect(reason.contains("__metadata__"))
    }

    @Test func malformedEntries() throws {
        let noOffsets: [String: Any] = ["a": ["dtype": "F32", "shape": [2]]]
        #expect(throws: CLIPNetworkError.self) { try Self.open(SafeTensorsBuilder.encode(header: noOffsets, data: Data(count: 8))) }
        let negative: [String: Any] = ["a": ["dtype": "F32", "shape": [-2], "data_offsets": [0, 8]]]
        #expect(throws: CLIPNetworkError.safeTensorsEntry(path: Self.path, tensor: "a", reason: "negative dimension in shape [-2]")) {
            try Self.open(SafeTensorsBuilder.encode(header: negative, data: Data(count: 8)))
        }
    }

    @Test func outOfRangeOffsets() throws {
        let header = Self.twoTensorHeader(b: [8, 24])
        #expect(throws: CLIPNetworkError.offsetsOutOfRange(path: Self.path, tensor: "b", begin: 8, end: 24, dataSize: 16)) {
            try Self.open(SafeTensorsBuilder.encode(header: header, data: Data(count: 16)))
        }
        let reversed = Self.twoTensorHeader(b: [16, 8])
        #expect(throws: CLIPNetworkError.offsetsOutOfRange(path: Self.path, tensor: "b", begin: 16, end: 8, dataSize: 16)) {
            try Self.open(SafeTensorsBuilder.encode(header: reversed, data: Data(count: 16)))
        }
    }

    @Test func overlappingRanges() throws {
        let header = Self.twoTensorHeader(b: [4, 12])
        #expect(throws: CLIPNetworkError.overlappingTensors(path: Self.path, first: "a", second: "b")) {
            try Self.open(SafeTensorsBuilder.encode(header: header, data: Data(count: 12)))
        }
    }

    @Test func holesAndTrailingBytes() throws {
        #expect(throws: CLIPNetworkError.uncoveredBytes(path: Self.path, begin: 8, end: 12)) {
            try Self.open(SafeTensorsBuilder.encode(header: Self.twoTensorHeader(b: [12, 20]), data: Data(count: 20)))
        }
        #expect(throws: CLIPNetworkError.uncoveredBytes(path: Self.path, begin: 16, end: 20)) {
            try Self.open(SafeTensorsBuilder.encode(header: Self.twoTensorHeader(), data: Data(count: 20)))
        }
    }

    @Test func shapeTimesDTypeDisagreesWithByteLength() throws {
        let header = Self.twoTensorHeader(shapeB: [3])
        #expect(throws: CLIPNetworkError.byteLengthMismatch(path: Self.path, tensor: "b", shape: [3], dtype: "F32", expectedBytes: 12, foundBytes: 8)) {
            try Self.open(SafeTensorsBuilder.encode(header: header, data: Data(count: 16)))
        }
    }

    @Test func unknownDType() throws {
        let header = Self.twoTensorHeader(dtypeB: "Q4_K")
        #expect(throws: CLIPNetworkError.unknownDType(path: Self.path, tensor: "b", dtype: "Q4_K")) {
            try Self.open(SafeTensorsBuilder.encode(header: header, data: Data(count: 16)))
        }
    }

    @Test func errorMessagesNameTheObject() {
        let error = CLIPNetworkError.shapeMismatch(key: "vision_model.post_layernorm.weight", expected: [40], found: [41])
        #expect(error.description.contains("vision_model.post_layernorm.weight"))
        #expect(error.description.contains("[40]") && error.description.contains("[41]"))
    }
}
