import Testing
@testable import CLIPImageProcessing

@Test func CLIPImageProcessingBuilds() {}
