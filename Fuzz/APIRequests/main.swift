import FashionCLIPServer
import Foundation
import FuzzSupport

// The JSON bodies of `POST /api/embed`, `/api/classify` and `/api/search` through
// `APIRequestBody.check`, which reads bytes as the routes read a request: `JSONDecoder` into the
// request models, field-naming errors, base64 images, and the search query validated against the
// server's default limits (filters parsed). Every input is tried as each route's body. A body is
// taken or refused with a 4xx status and a message; a 5xx (an error no one mapped) or a crash is a bug.

let configuration = ServerConfiguration()

FuzzDriver.run { bytes in
    for route in APIRequestBody.allCases {
        do throws(APIRequestBody.Refusal) {
            try route.check(bytes, configuration: configuration)
        } catch {
            precondition((400..<500).contains(error.status), "\(route) answered \(error)")
            precondition(!error.message.isEmpty)
            if FuzzDriver.verbose { print("fuzz: \(route): \(error)") }
        }
    }
}
