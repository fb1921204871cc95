import Foundation

/// A parsed CSV file (RFC 4180): a header and records, each with the line it starts on.
///
/// Fields are separated by `,`, records by CRLF or LF. A field that starts with `"` is quoted: it may
/// hold commas, line breaks and `""` (one quote), and must be followed by `,`, a line break or the end.
/// A UTF-8 byte order mark is skipped; blank lines are ignored; every record must have as many fields
/// as the header.
public struct CSVTable: Sendable {
    /// Column names of the first record, trimmed of surrounding spaces.
    public let header: [String]
    /// The other records with the 1-based line each starts on.
    public let records: [(line: Int, fields: [String])]

    /// Parses `text`; `file` only names the source in errors.
    public init(text: String, file: String) throws {
        var all = try CSVTable.parseRecords(Array(text.utf8), file: file)
        guard !all.isEmpty else {
            throw CatalogError.malformedCatalog(file: file, line: 1, reason: "empty file; expected a header row")
        }
        let head = all.removeFirst()
        header = head.fields.map { $0.trimmingCharacters(in: .whitespaces) }
        var seen = Set<String>()
        for name in header where !seen.insert(name).inserted {
            throw CatalogError.malformedCatalog(file: file, line: head.line, reason: "column '\(name)' appears twice")
        }
        for record in all where record.fields.count != header.count {
            throw CatalogError.malformedCatalog(
                file: file, line: record.line,
                reason: "expected \(header.count) fields as in the header, found \(record.fields.count)")
        }
        records = all
    }

    /// Reads and parses the file at `url`.
    public init(contentsOf url: URL) throws {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw CatalogError.unsupportedCatalog(path: url.path, reason: "cannot read: \(error.localizedDescription)")
        }
        try self.init(data: data, file: url.path)
    }

    /// Parses the UTF-8 text `data`; `file` only names the source in errors.
    package init(data: Data, file: String) throws {
        guard let text = String(data: data, encoding: .utf8) else {
            throw CatalogError.malformedCatalog(file: file, line: 1, reason: "not valid UTF-8")
        }
        try self.init(text: text, file: file)
    }

    static func parseRecords(_ bytes: [UInt8], file: String) throws -> [(line: Int, fields: [String])] {
        let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), lf = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")
        var records: [(line: Int, fields: [String])] = []
        var i = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        var line = 1
        var fields: [String] = []
        var field: [UInt8] = []
        var recordLine = 1
        var atFieldStart = true
        var recordHasContent = false

        func endField() {
            fields.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
        }
        func endRecord() {
            endField()
            if recordHasContent || fields.count > 1 || !fields[0].isEmpty { records.append((recordLine, fields)) }
            fields.removeAll(keepingCapacity: true)
            recordHasContent = false
        }

        while i < bytes.count {
            let c = bytes[i]
            if atFieldStart && c == quote {
                // Quoted field: runs to the matching quote; `""` is a literal quote.
                let startLine = line
                recordHasContent = true
                i += 1
                var closed = false
                while i < bytes.count {
                    let q = bytes[i]
                    if q == quote {
                        if i + 1 < bytes.count && bytes[i + 1] == quote {
                            field.append(quote)
                            i += 2
                            continue
                        }
                        closed = true
                        i += 1
                        break
                    }
                    if q == lf { line += 1 }
                    field.append(q)
                    i += 1
                }
                guard closed else {
                    throw CatalogError.malformedCatalog(
                        file: file, line: startLine, reason: "quoted field is never closed (missing '\"')")
                }
                if i < bytes.count && bytes[i] != comma && bytes[i] != lf && bytes[i] != cr {
                    throw CatalogError.malformedCatalog(
                        file: file, line: line,
                        reason: "unexpected '\(Character(UnicodeScalar(bytes[i])))' after a closing quote; "
                            + "a quote inside a quoted field is written \"\"")
                }
                atFieldStart = false
                continue
            }
            switch c {
            case comma:
                endField()
                recordHasContent = true
                atFieldStart = true
            case cr where i + 1 < bytes.count && bytes[i + 1] == lf:
                break  // the LF ends the record
            case lf, cr:
                endRecord()
                line += 1
                recordLine = line
                atFieldStart = true
            case quote:
                throw CatalogError.malformedCatalog(
                    file: file, line: line, reason: "quote inside an unquoted field; quote the whole field")
            default:
                field.append(c)
                atFieldStart = false
            }
            i += 1
        }
        if !field.isEmpty || !fields.isEmpty || recordHasContent { endRecord() }
        return records
    }
}
