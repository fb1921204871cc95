import Testing
@testable import EmbeddingCatalog

@Test func catalogBuilds() {}
