import Testing
@testable import FashionCLIP

@Test func FashionCLIPBuilds() {}
