/// Where blocking model calls run. The server passes its `ComputeGate` (a few at a time, off the event
/// loops, a bounded queue); the command line runs them in place (`InlineModelCalls`).
public protocol ModelCallRunner: Sendable {
    /// Runs `body` (a synchronous model call) and returns what it returned or threw.
    func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T
}

/// Runs each model call at once on the caller's thread (a command-line tool with one request).
public struct InlineModelCalls: ModelCallRunner {
    public init() {}

    public func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try body()
    }
}
