import EmbeddingCatalog
import FashionCLIP
import FashionCLIPCatalog
import Foundation
import Hummingbird

/// A request that cannot be answered, as the API reports it: an HTTP status and a message that
/// names what was wrong, in the body `{"error": {"status": 400, "message": "..."}}`.
///
/// Domain errors become API errors here and nowhere else (`init(_:)`): the catalog's and the
/// facade's own messages already name the object, what was expected and what was found.
struct APIError: Error, HTTPResponseError, CustomStringConvertible {
    let status: HTTPResponse.Status
    let message: String
    /// Extra headers of the answer (`Retry-After` for a busy server, `WWW-Authenticate` for a
    /// missing key, CORS headers).
    var headers: HTTPFields

    init(_ status: HTTPResponse.Status, _ message: String, headers: HTTPFields = [:]) {
        self.status = status
        self.message = message
        self.headers = headers
    }

    var description: String { "\(status.code) \(status.reasonPhrase): \(message)" }

    /// A malformed or unusable request.
    static func badRequest(_ message: String) -> APIError { APIError(.badRequest, message) }

    /// A feature this server was started without (no model, or no store).
    static func unavailable(_ what: String, needs: String) -> APIError {
        APIError(.serviceUnavailable, "\(what) needs \(needs), and this server was started without one")
    }

    /// Every model slot and queue place is taken.
    static func busy(waiting: Int) -> APIError {
        APIError(.serviceUnavailable, "the model is busy (\(waiting) requests waiting); try again shortly", headers: [.retryAfter: "1"])
    }

    /// A request body over the configured limit.
    static func tooLarge(limit: Int) -> APIError {
        APIError(.contentTooLarge, "the request body is larger than this server's limit of \(limit) bytes")
    }

    /// `error` as the API reports it: the client's mistakes 4xx, the rest 500.
    init(_ error: any Error) {
        switch error {
        case let error as APIError:
            self = error
        case let error as CatalogError:
            switch error {
            case .unknownID: self.init(.notFound, error.description)
            case .invalidFilter, .invalidQuery, .dimensionMismatch, .nonFiniteVector: self.init(.badRequest, error.description)
            default: self.init(.internalServerError, error.description)
            }
        case let error as FashionCLIPError:
            switch error {
            case .invalidArgument: self.init(.badRequest, error.description)
            case .towerUnavailable, .missingFile: self.init(.serviceUnavailable, error.description)
            default: self.init(.internalServerError, error.description)
            }
        case let error as QueryLimitError:
            switch error {
            case .textTooLong: self.init(.contentTooLarge, error.description)
            case .needsModel: self.init(.serviceUnavailable, error.description)
            default: self.init(.badRequest, error.description)
            }
        case let error as SearchFilterError:
            self.init(.badRequest, error.description)
        case let error as ImageEmbeddingError:
            // The upload itself: not an image, corrupt, or too large to decode.
            self.init(.unprocessableContent, error.description)
        default:
            self.init(.internalServerError, "\(error)")
        }
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var response = try JSONResponse.make(ErrorBody(error: .init(status: Int(status.code), message: message)), status: status)
        response.headers.append(contentsOf: headers)
        return response
    }

    private struct ErrorBody: Encodable {
        struct Detail: Encodable {
            let status: Int
            let message: String
        }
        let error: Detail
    }
}
