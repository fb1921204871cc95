import FashionCLIPCatalog
import Foundation

/// The JSON bodies of the API's POST routes, read from bytes the way the routes read them from a
/// request: `JSONResponse.decode` (errors naming the field at fault), the base64 images decoded, and a
/// search's query validated against the server's limits (filters parsed). No model or store is needed:
/// this is the seam of the request-body fuzz target (`Fuzz/APIRequests`) and of tests.
package enum APIRequestBody: String, CaseIterable, Sendable {
    /// `POST /api/embed`: `EmbedRequest`.
    case embed
    /// `POST /api/classify`: `ClassifyRequest`.
    case classify
    /// `POST /api/search`: `SearchRequest`.
    case search

    /// Why the route refuses a body: the HTTP status and message of its error answer.
    package struct Refusal: Error, CustomStringConvertible {
        package let status: Int
        package let message: String
        package var description: String { "\(status): \(message)" }
    }

    /// Reads `data` as this route's body and runs the checks the route makes before it needs the model.
    /// - Returns: how many images the body carries.
    /// - Throws: `Refusal` with the status and message the route would answer (through `APIError.init(_:)`).
    @discardableResult
    package func check(_ data: Data, configuration: ServerConfiguration = ServerConfiguration()) throws(Refusal) -> Int {
        do {
            return try read(data, configuration: configuration)
        } catch {
            let answer = APIError(error)
            throw Refusal(status: Int(answer.status.code), message: answer.message)
        }
    }

    private func read(_ data: Data, configuration: ServerConfiguration) throws -> Int {
        switch self {
        case .embed:
            let body = try JSONResponse.decode(EmbedRequest.self, from: data)
            return try APIController.base64Images(body.images ?? [], field: "images").count
        case .classify:
            let body = try JSONResponse.decode(ClassifyRequest.self, from: data)
            return try APIController.base64Images(body.images, field: "images").count
        case .search:
            let body = try JSONResponse.decode(SearchRequest.self, from: data)
            let images = try APIController.base64Images(body.image?.values ?? [], field: "image")
            _ = try configuration.queryLimits.validate(body.query(images: images))
            return images.count
        }
    }
}
