import Foundation

/// A cursor over protocol-buffer wire data (the encoding of `.onnx` files), reading one message.
///
/// Hand-written for the six messages CLIPONNX needs (see `ONNXModel`); every read is bounds-checked
/// and a truncated or malformed message throws `ONNXError.malformedProtobuf` with the byte offset.
/// Length-delimited fields come back as byte ranges of the file, so tensor bytes are never copied.
struct ProtobufReader {
    /// Wire types of the protobuf encoding.
    enum WireType: UInt64 {
        case varint = 0, fixed64 = 1, lengthDelimited = 2, startGroup = 3, endGroup = 4, fixed32 = 5
    }

    let data: Data
    /// The message being read, for error messages (`TensorProto`).
    let message: String
    /// The file, for error messages.
    let path: String
    private(set) var position: Int
    let end: Int

    /// Reads `range` (offsets from `data.startIndex`) as one `message`.
    init(data: Data, range: Range<Int>, message: String, path: String) {
        self.data = data
        self.message = message
        self.path = path
        position = range.lowerBound
        self.end = range.upperBound
    }

    /// A reader for the embedded message at `range`.
    func reader(for range: Range<Int>, message: String) -> ProtobufReader {
        ProtobufReader(data: data, range: range, message: message, path: path)
    }

    func fail(_ reason: String, at offset: Int? = nil) -> ONNXError {
        .malformedProtobuf(path: path, message: message, offset: offset ?? position, reason: reason)
    }

    private func byte(at offset: Int) -> UInt8 { data[data.startIndex + offset] }

    /// The next field's number and wire type, or nil at the end of the message.
    mutating func nextField() throws -> (number: Int, wire: WireType)? {
        guard position < end else { return nil }
        let start = position
        let key = try varint()
        guard let wire = WireType(rawValue: key & 7) else { throw fail("invalid wire type \(key & 7)", at: start) }
        let number = key >> 3
        guard number > 0, number < 1 << 29 else { throw fail("invalid field number \(number)", at: start) }
        return (Int(number), wire)
    }

    mutating func varint() throws -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        let start = position
        while true {
            guard position < end else { throw fail("truncated varint", at: start) }
            let b = byte(at: position)
            position += 1
            guard shift < 64 else { throw fail("varint longer than 10 bytes", at: start) }
            result |= UInt64(b & 0x7F) << shift
            if b & 0x80 == 0 { return result }
            shift += 7
        }
    }

    /// A varint field as a signed 64-bit integer (two's complement, as `int64`/`int32` encode).
    mutating func int64() throws -> Int64 { Int64(bitPattern: try varint()) }

    mutating func fixed32() throws -> UInt32 {
        guard end - position >= 4 else { throw fail("truncated 32-bit field") }
        var value: UInt32 = 0
        for i in 0..<4 { value |= UInt32(byte(at: position + i)) << (8 * UInt32(i)) }
        position += 4
        return value
    }

    mutating func fixed64() throws -> UInt64 {
        guard end - position >= 8 else { throw fail("truncated 64-bit field") }
        var value: UInt64 = 0
        for i in 0..<8 { value |= UInt64(byte(at: position + i)) << (8 * UInt64(i)) }
        position += 8
        return value
    }

    /// The byte range of a length-delimited field (offsets from `data.startIndex`).
    mutating func lengthDelimited() throws -> Range<Int> {
        let start = position
        let length = try varint()
        guard length <= UInt64(end - position) else {
            throw fail("length \(length) runs past the end of the message (\(end - position) bytes left)", at: start)
        }
        let range = position..<position + Int(length)
        position += Int(length)
        return range
    }

    mutating func string() throws -> String {
        let range = try lengthDelimited()
        let slice = data[(data.startIndex + range.lowerBound)..<(data.startIndex + range.upperBound)]
        guard let text = String(data: slice, encoding: .utf8) else { throw fail("string is not UTF-8", at: range.lowerBound) }
        return text
    }

    /// Skips a field of `wire` type that this reader does not use.
    mutating func skip(_ wire: WireType) throws {
        switch wire {
        case .varint: _ = try varint()
        case .fixed64: _ = try fixed64()
        case .fixed32: _ = try fixed32()
        case .lengthDelimited: _ = try lengthDelimited()
        case .startGroup, .endGroup: throw fail("groups are not used by ONNX")
        }
    }

    /// A repeated integer field, packed (wire type 2) or not.
    mutating func appendInt64s(_ wire: WireType, to values: inout [Int64]) throws {
        if wire == .varint {
            values.append(try int64())
        } else if wire == .lengthDelimited {
            var packed = reader(for: try lengthDelimited(), message: message)
            while packed.position < packed.end { values.append(try packed.int64()) }
        } else {
            throw fail("integer field with wire type \(wire.rawValue)")
        }
    }

    /// A repeated `float` field, packed or not.
    mutating func appendFloats(_ wire: WireType, to values: inout [Float]) throws {
        if wire == .fixed32 {
            values.append(Float(bitPattern: try fixed32()))
        } else if wire == .lengthDelimited {
            var packed = reader(for: try lengthDelimited(), message: message)
            guard (packed.end - packed.position) % 4 == 0 else { throw fail("packed floats not a multiple of 4 bytes") }
            values.reserveCapacity(values.count + (packed.end - packed.position) / 4)
            while packed.position < packed.end { values.append(Float(bitPattern: try packed.fixed32())) }
        } else {
            throw fail("float field with wire type \(wire.rawValue)")
        }
    }

    /// A repeated `double` field, packed or not.
    mutating func appendDoubles(_ wire: WireType, to values: inout [Double]) throws {
        if wire == .fixed64 {
            values.append(Double(bitPattern: try fixed64()))
        } else if wire == .lengthDelimited {
            var packed = reader(for: try lengthDelimited(), message: message)
            guard (packed.end - packed.position) % 8 == 0 else { throw fail("packed doubles not a multiple of 8 bytes") }
            while packed.position < packed.end { values.append(Double(bitPattern: try packed.fixed64())) }
        } else {
            throw fail("double field with wire type \(wire.rawValue)")
        }
    }
}
