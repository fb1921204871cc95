import Foundation

/// Why a server could not be set up: a bad configuration value, or inputs that do not fit together.
/// (Failures to open the model or the store are the facade's and the catalog's own errors.)
public enum ServerSetupError: Error, Equatable, Sendable, CustomStringConvertible, LocalizedError {
    /// A configuration value outside its range.
    case invalidConfiguration(name: String, expected: String, found: String)
    /// Neither a model nor a store: nothing to serve.
    case nothingToServe
    /// The store file does not exist (a server never creates one).
    case missingStore(path: String)
    /// The model is not the one that built the store.
    case modelMismatch(store: String, storeModel: String, model: String)

    public var description: String {
        switch self {
        case let .invalidConfiguration(name, expected, found):
            return "server configuration \(name): expected \(expected), found \(found)"
        case .nothingToServe:
            return "nothing to serve: give a model (to embed and classify), a store (to search), or both"
        case let .missingStore(path):
            return "store \(path) does not exist: build it with `fashionclip index --model M --catalog C --store \(path)`"
        case let .modelMismatch(store, storeModel, model):
            return "store \(store) was built with model '\(storeModel)', not '\(model)': "
                + "serve it with that model, or index the catalog again with this one"
        }
    }

    public var errorDescription: String? { description }
}
