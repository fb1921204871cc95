import Testing
@testable import CLIPNetwork

@Test func CLIPNetworkBuilds() {}
