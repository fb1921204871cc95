import EmbeddingCatalog
import Foundation
import Testing

@Suite struct CatalogTests {
    @Test func csvRowsResolveImagesAndKeepMetadata() throws {
        let folder = try TestCatalogs.temporaryFolder()
        let url = try TestCatalogs.writeCSV(in: folder, count: 4)
        let catalog = try Catalog.load(url)
        #expect(catalog.rows.count == 4)
        let row = catalog.rows[3]
        #expect(row.id == "p0003")
        #expect(row.image.path == folder.appendingPathComponent("images/item0003.jpg").standardizedFileURL.path)
        #expect(row.text == "stripes, long sleeves, item 3 — 80s style")
        #expect(row.metadata == ["brand": .string("Zara, Inc."), "price": .string("3"), "category": .string("cat3")])
        #expect(catalog.rows[2].text == nil)
        #expect(row.line == 5)
    }

    @Test func jsonLinesKeepTypesAndSkipNulls() throws {
        let folder = try TestCatalogs.temporaryFolder()
        let url = folder.appendingPathComponent("c.jsonl")
        let lines = [
            #"{"id": "a", "image": "a.jpg", "text": "red dress", "price": 99.5, "sale": true, "brand": null}"#,
            "",
            #"{"id": 7, "image": "/abs/b.png", "colour": "blue", "stock": 1, "zero": 0}"#
        ]
        try lines.joined(separator: "\n").write(to: url, atomically: true, encoding: .utf8)
        let catalog = try Catalog.load(url)
        #expect(catalog.rows.map(\.id) == ["a", "7"])
        #expect(catalog.rows[0].metadata == ["price": .number(99.5), "sale": .bool(true)])
        #expect(catalog.rows[1].image.path == "/abs/b.png")
        #expect(catalog.rows[1].metadata == ["colour": .string("blue"), "stock": .number(1), "zero": .number(0)])
        #expect(catalog.rows[1].line == 3)
    }

    @Test func jsonLinesErrorsNameTheLine() throws {
        let folder = try TestCatalogs.temporaryFolder()
        let url = folder.appendingPathComponent("c.jsonl")
        try "{\"id\": \"a\", \"image\": \"a.jpg\"}\n{\"id\": \"b\"}\n".write(to: url, atomically: true, encoding: .utf8)
        #expect(throws: CatalogError.malformedCatalog(file: url.path, line: 2, reason: "row 'b' has no 'image' path (a string)")) {
            try Catalog.load(url)
        }
        try "{\"id\": \"a\", \"image\": \"a.jpg\"}\n[1, 2]\n".write(to: url, atomically: true, encoding: .utf8)
        do {
            _ = try Catalog.load(url)
            Issue.record("expected an error")
        } catch let CatalogError.malformedCatalog(file, line, _) {
            #expect(file == url.path && line == 2)
        }
    }

    @Test func duplicateIDsAndMissingColumns() throws {
        let folder = try TestCatalogs.temporaryFolder()
        let url = folder.appendingPathComponent("c.csv")
        try "id,image\na,a.jpg\nb,b.jpg\na,c.jpg\n".write(to: url, atomically: true, encoding: .utf8)
        #expect(throws: CatalogError.duplicateID(file: url.path, id: "a", firstLine: 2, secondLine: 4)) { try Catalog.load(url) }
        try "id,picture\na,a.jpg\n".write(to: url, atomically: true, encoding: .utf8)
        #expect(throws: CatalogError.missingColumn(file: url.path, column: "image", found: ["id", "picture"])) { try Catalog.load(url) }
        #expect(throws: (any Error).self) { try Catalog.load(folder.appendingPathComponent("missing.csv")) }
        #expect(throws: (any Error).self) { try Catalog.load(folder.appendingPathComponent("c.txt")) }
    }

    /// "a\0x" and "a" were two rows to the catalog but one to SQLite (its text ends at NUL): index
    /// reported 2 added, stored 1 and re-added on every run. Control characters are refused with the
    /// line (issue 19, item 13); ordinary Unicode ids stay fine.
    @Test func idsWithControlCharactersAreRefused() throws {
        let folder = try TestCatalogs.temporaryFolder()
        let csv = folder.appendingPathComponent("c.csv"), jsonl = folder.appendingPathComponent("c.jsonl")
        for bad in ["a\u{0}x", "tab\tid", "bell\u{7}", "c1\u{85}", "del\u{7F}"] {
            try Data("{\"id\": \"ok\", \"image\": \"a.jpg\"}\n{\"id\": \(try Self.jsonString(bad)), \"image\": \"b.jpg\"}\n".utf8).write(to: jsonl)
            let error = #expect(throws: CatalogError.self) { try Catalog.load(jsonl) }
            guard case .malformedCatalog(_, 2, let reason)? = error else {
                Issue.record("\(bad.debugDescription): \(String(describing: error))")
                continue
            }
            #expect(reason.contains("control character"), "\(reason)")
        }
        try Data("id,image\n\"a\u{0}x\",a.jpg\n".utf8).write(to: csv)
        #expect(throws: CatalogError.self) { try Catalog.load(csv) }
        try Data("id,image\n,a.jpg\n".utf8).write(to: csv)
        #expect(throws: CatalogError.self) { try Catalog.load(csv) }
        try Data("id,image\nrobe-été 👗,a.jpg\n".utf8).write(to: csv)
        #expect(try Catalog.load(csv).rows.map(\.id) == ["robe-été 👗"])
    }

    static func jsonString(_ s: String) throws -> String {
        String(decoding: try JSONEncoder().encode(s), as: UTF8.self)
    }

    @Test func pairFilesWithoutIDs() throws {
        let folder = try TestCatalogs.temporaryFolder()
        let url = folder.appendingPathComponent("pairs.csv")
        try "image,text\na.jpg,red dress\nb.jpg,blue shoes\n".write(to: url, atomically: true, encoding: .utf8)
        #expect(throws: (any Error).self) { try Catalog.load(url) }
        let pairs = try Catalog.load(url, idFromImage: true)
        #expect(pairs.rows.map(\.id) == ["a.jpg", "b.jpg"] && pairs.rows.map(\.text) == ["red dress", "blue shoes"])
    }

    @Test func folderCatalogUsesRelativePaths() throws {
        let folder = try TestCatalogs.temporaryFolder()
        try TestCatalogs.writeCSV(in: folder, count: 3)
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("images/sub"), withIntermediateDirectories: true)
        try Data("x".utf8).write(to: folder.appendingPathComponent("images/sub/Z.PNG"))
        try Data("x".utf8).write(to: folder.appendingPathComponent("images/.hidden.jpg"))
        let catalog = try Catalog.load(folder.appendingPathComponent("images"))
        #expect(catalog.rows.map(\.id) == ["item0000.jpg", "item0001.jpg", "item0002.jpg", "sub/Z.PNG"])
    }

    @Test func metadataHashIgnoresKeyOrderButNotTypes() {
        let a: Metadata = ["a": .string("1"), "b": .number(2)]
        let b: Metadata = ["b": .number(2), "a": .string("1")]
        #expect(ContentHash.of(metadata: a) == ContentHash.of(metadata: b))
        #expect(ContentHash.of(metadata: a) != ContentHash.of(metadata: ["a": .number(1), "b": .number(2)]))
        // FNV-1a 64 test vectors.
        #expect(ContentHash.of(bytes: Data()) == 0xcbf2_9ce4_8422_2325)
        #expect(ContentHash.of(bytes: Data("a".utf8)) == 0xaf63_dc4c_8601_ec8c)
        #expect(ContentHash.of(bytes: Data("foobar".utf8)) == 0x8594_4171_f739_67e8)
    }
}

@Suite struct FlatJSONObjectTests {
    @Test func parsesWhatJSONEncoderWrites() throws {
        let metadata: Metadata = [
            "brand": .string("Armani \"Exchange\" \\ / é 👗\n\t\u{1}"), "price": .number(99.5),
            "n": .number(-1e-7), "sale": .bool(false), "big": .number(12345678901)
        ]
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let json = String(decoding: try encoder.encode(metadata), as: UTF8.self)
        #expect(FlatJSONObject.parse(json) == metadata)
        #expect(FlatJSONObject.parse("{}") == [:])
        #expect(FlatJSONObject.parse(#" { "a" : "\u00e9\ud83d\udc57" , "b": null } "#) == ["a": .string("é👗")])
        for bad in ["", "{", "{\"a\": [1]}", "{\"a\": 1} x", "{\"a\" 1}", "{\"a\": \"\\ud83d\"}", "{\"a\": tru}"] {
            #expect(FlatJSONObject.parse(bad) == nil, "\(bad)")
        }
    }
}
