import EmbeddingCatalog
import Testing

@Suite struct CSVTableTests {
    @Test func quotedFieldsHoldCommasQuotesAndLineBreaks() throws {
        let text = "id,text\r\n1,\"a, b\"\r\n2,\"say \"\"hi\"\"\"\n3,\"two\nlines\"\n4,plain\n"
        let table = try CSVTable(text: text, file: "t.csv")
        #expect(table.header == ["id", "text"])
        #expect(table.records.map(\.fields) == [["1", "a, b"], ["2", "say \"hi\""], ["3", "two\nlines"], ["4", "plain"]])
        #expect(table.records.map(\.line) == [2, 3, 4, 6])
    }

    @Test func emptyFieldsAndBlankLinesAndBOM() throws {
        let table = try CSVTable(text: "\u{FEFF}a,b,c\n,,\n\n\"\",x,\n", file: "t.csv")
        #expect(table.header == ["a", "b", "c"])
        #expect(table.records.map(\.fields) == [["", "", ""], ["", "x", ""]])
    }

    @Test func lastRecordWithoutNewline() throws {
        let table = try CSVTable(text: "a,b\n1,2", file: "t.csv")
        #expect(table.records.map(\.fields) == [["1", "2"]])
    }

    @Test func errorsNameFileLineAndProblem() {
        #expect(throws: CatalogError.malformedCatalog(file: "t.csv", line: 2, reason: "quoted field is never closed (missing '\"')")) {
            try CSVTable(text: "a,b\n1,\"open\n", file: "t.csv")
        }
        #expect(throws: CatalogError.malformedCatalog(file: "t.csv", line: 3, reason: "expected 2 fields as in the header, found 3")) {
            try CSVTable(text: "a,b\n1,2\n1,2,3\n", file: "t.csv")
        }
        #expect(throws: CatalogError.malformedCatalog(file: "t.csv", line: 2, reason: "quote inside an unquoted field; quote the whole field")) {
            try CSVTable(text: "a,b\n1,x\"y\n", file: "t.csv")
        }
        #expect(throws: (any Error).self) { try CSVTable(text: "a,b\n\"x\"y,2\n", file: "t.csv") }
        #expect(throws: (any Error).self) { try CSVTable(text: "a,a\n1,2\n", file: "t.csv") }
    }
}
