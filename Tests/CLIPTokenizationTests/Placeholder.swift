import Testing
@testable import CLIPTokenization

@Test func CLIPTokenizationBuilds() {}
