import FashionCLIPCatalog

/// Where the server listens and how much one request may ask of it.
///
/// The limits bound what a single request can cost (bytes read, items embedded, rows returned), so
/// that a client cannot exhaust the machine's memory or hold the model for minutes; a request over a
/// limit is answered 413 or 400 naming the limit.
public struct ServerConfiguration: Sendable, Equatable {
    /// The address to bind: `127.0.0.1` (this machine only, the default) or `0.0.0.0` (every interface).
    public var host: String
    /// The TCP port; 0 picks a free one (reported by `onServerRunning`).
    public var port: Int
    /// The most bytes of one request body (an uploaded image, or a JSON document with base64 images).
    public var maxRequestBytes: Int
    /// The most texts one `/api/embed` request may embed.
    public var maxTexts: Int
    /// The most images one `/api/embed` or `/api/classify` request may embed.
    public var maxImages: Int
    /// The most labels (× templates) one `/api/classify` request may embed.
    public var maxLabels: Int
    /// The most UTF-8 bytes of one text (a query, a label, a template, an embedded text): 77 tokens
    /// are decided long before (a typed query is under 1 KiB), and a 15 MB text held a model slot for
    /// seconds. Longer ones are answered 413.
    public var maxTextBytes: Int
    /// The largest `topK` of a search.
    public var maxTopK: Int
    /// Most connections open at once; more wait in the listen queue until one closes, so idle or slow
    /// clients cannot use up the process's file descriptors.
    public var maxConnections: Int
    /// Seconds a connection may sit without a complete request head (new, between requests, or
    /// trickling its headers) before it is closed.
    public var idleTimeoutSeconds: Int
    /// Seconds within which a request, head to last body byte, must arrive once its head has.
    public var requestReadTimeoutSeconds: Int
    /// Model calls that run at once; more wait their turn (the kernels already use every core).
    public var concurrentJobs: Int
    /// Model calls that may wait; beyond that a request is answered 503 at once.
    public var queuedJobs: Int
    /// When set, every `/api/` request must carry it (`Authorization: Bearer KEY` or `X-API-Key: KEY`);
    /// the page, its script and `/health` stay open. At least 8 characters.
    public var apiKey: String?
    /// Origins whose pages may call the API from a browser (CORS), e.g. `https://shop.example`; `*`
    /// for any. Empty: same-origin only (the served page).
    public var corsOrigins: [String]
    /// Host names (without a port) a request's `Host` may carry besides the loopback ones, when the
    /// server listens on a loopback address: there every other `Host` is refused (421), so a page
    /// from elsewhere that rebinds its DNS name to 127.0.0.1 cannot read the API. A server bound to
    /// another address takes any `Host`.
    public var allowedHosts: [String]

    public init(
        host: String = "127.0.0.1", port: Int = 8080, maxRequestBytes: Int = 16 << 20, maxTexts: Int = 256,
        maxImages: Int = 64, maxLabels: Int = 1000, maxTopK: Int = 1000, concurrentJobs: Int = 2,
        queuedJobs: Int = 64, apiKey: String? = nil, corsOrigins: [String] = [], allowedHosts: [String] = [],
        maxTextBytes: Int = 16384, maxConnections: Int = 512, idleTimeoutSeconds: Int = 30,
        requestReadTimeoutSeconds: Int = 60
    ) {
        self.host = host
        self.port = port
        self.maxRequestBytes = maxRequestBytes
        self.maxTexts = maxTexts
        self.maxImages = maxImages
        self.maxLabels = maxLabels
        self.maxTextBytes = maxTextBytes
        self.maxTopK = maxTopK
        self.maxConnections = maxConnections
        self.idleTimeoutSeconds = idleTimeoutSeconds
        self.requestReadTimeoutSeconds = requestReadTimeoutSeconds
        self.concurrentJobs = concurrentJobs
        self.queuedJobs = queuedJobs
        self.apiKey = apiKey
        self.corsOrigins = corsOrigins
        self.allowedHosts = allowedHosts
    }

    /// Whether the server listens on this machine only (a loopback address or `localhost`).
    public var bindsLoopback: Bool {
        let h = host.lowercased()
        return h == "localhost" || h == "::1" || h == "[::1]" || h.hasPrefix("127.")
    }

    /// Checks that every number is usable.
    /// - Throws: `ServerSetupError.invalidConfiguration` naming the first bad value.
    public func validate() throws(ServerSetupError) {
        guard (0...65535).contains(port) else {
            throw .invalidConfiguration(name: "port", expected: "0 ... 65535", found: "\(port)")
        }
        guard !host.isEmpty else { throw .invalidConfiguration(name: "host", expected: "an address", found: "nothing") }
        for (name, value) in [
            ("maxRequestBytes", maxRequestBytes), ("maxTexts", maxTexts), ("maxImages", maxImages),
            ("maxLabels", maxLabels), ("maxTopK", maxTopK), ("concurrentJobs", concurrentJobs),
            ("maxTextBytes", maxTextBytes), ("maxConnections", maxConnections),
            ("idleTimeoutSeconds", idleTimeoutSeconds), ("requestReadTimeoutSeconds", requestReadTimeoutSeconds)
        ]
        where value < 1 {
            throw .invalidConfiguration(name: name, expected: "at least 1", found: "\(value)")
        }
        guard queuedJobs >= 0 else { throw .invalidConfiguration(name: "queuedJobs", expected: "at least 0", found: "\(queuedJobs)") }
        if let apiKey, apiKey.count < 8 || apiKey.contains(where: { $0.isWhitespace || $0.isNewline }) {
            throw .invalidConfiguration(
                name: "apiKey", expected: "at least 8 characters without spaces",
                found: "\(apiKey.count) characters")
        }
        for name in allowedHosts where name.isEmpty || name.contains(where: { $0 == "/" || $0 == ":" || $0.isWhitespace }) {
            throw .invalidConfiguration(name: "allowedHosts", expected: "a host name without scheme or port", found: name)
        }
        for origin in corsOrigins where origin != "*" && !(origin.hasPrefix("http://") || origin.hasPrefix("https://")) {
            throw .invalidConfiguration(name: "corsOrigins", expected: "* or an origin like https://shop.example", found: origin)
        }
    }
}

extension ServerConfiguration {
    /// The bounds of one search request, as `CatalogQueryRunner` checks them.
    public var queryLimits: QueryLimits {
        QueryLimits(maxTopK: maxTopK, maxTexts: maxTexts, maxImages: maxImages, maxTextBytes: maxTextBytes)
    }
}
