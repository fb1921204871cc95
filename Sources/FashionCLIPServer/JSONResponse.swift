import Foundation
import Hummingbird
import NIOCore

/// JSON in and out of the API: UTF-8, keys sorted, slashes unescaped; bodies read up to a limit.
enum JSONResponse {
    /// `value` encoded as the body of a response with `status`.
    static func make(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(value)
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        headers[.cacheControl] = "no-store"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// The request's body, at most `limit` bytes.
    /// - Throws: `APIError.tooLarge` past the limit.
    static func body(of request: Request, limit: Int) async throws -> Data {
        do {
            let buffer = try await request.body.collect(upTo: limit)
            return Data(buffer.readableBytesView)
        } catch is NIOTooManyBytesError {
            throw APIError.tooLarge(limit: limit)
        }
    }

    /// The request's JSON body decoded as `T`, at most `limit` bytes.
    /// - Throws: `APIError` 400 naming the field at fault, or 413 past the limit.
    static func decode<T: Decodable>(_ type: T.Type, from request: Request, limit: Int) async throws -> T {
        try decode(type, from: try await body(of: request, limit: limit))
    }

    /// A request body's bytes decoded as `T`.
    /// - Throws: `APIError` 400 naming the field at fault.
    static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        guard !data.isEmpty else { throw APIError.badRequest("the request has no body; expected a JSON object") }
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch let DecodingError.keyNotFound(key, context) {
            throw APIError.badRequest("JSON body: missing field '\(path(context.codingPath + [key]))'")
        } catch let DecodingError.typeMismatch(expected, context) {
            throw APIError.badRequest("JSON body: field '\(path(context.codingPath))' should be \(describe(expected))")
        } catch let DecodingError.valueNotFound(expected, context) {
            throw APIError.badRequest("JSON body: field '\(path(context.codingPath))' is null; expected \(describe(expected))")
        } catch let DecodingError.dataCorrupted(context) {
            let at = context.codingPath.isEmpty ? "" : " at '\(path(context.codingPath))'"
            throw APIError.badRequest("JSON body is not valid\(at): \(context.debugDescription)")
        }
    }

    private static func path(_ keys: [any CodingKey]) -> String {
        keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().trimmingCharacters(in: ["."])
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Int.Type, is Float.Type, is Double.Type: return "a number"
        case is Bool.Type: return "true or false"
        default: return "\(type)".hasPrefix("Array") ? "an array" : "an object"
        }
    }
}
