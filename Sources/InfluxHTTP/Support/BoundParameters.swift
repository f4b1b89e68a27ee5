import InfluxQL

/// The `params` parameter of `/query`, read as InfluxDB 1.6 reads it: the first JSON value of the
/// text must be an object; a number with a `.` is a float, any other an integer; an object of
/// one entry names the kind (`identifier`, `string`, `integer`, `float` or `number`, `duration`).
enum BoundParameters {
    /// InfluxDB's 400 message for `params` it cannot read.
    struct Refusal: Error, Equatable {
        let message: String
    }

    /// The parameters, or InfluxDB's 400 message.
    static func decode(_ text: String) -> Result<[String: BoundParameter], Refusal> {
        var reader = JSONReader(bytes: Array(text.utf8))
        reader.skipSpace()
        let document: JSONValue
        do {
            document = try reader.value(depth: 0)
        } catch {
            guard reader.index < reader.bytes.count else { return .failure(Refusal(message: "error parsing query parameters: unexpected EOF")) }
            let c = Character(Unicode.Scalar(reader.bytes[reader.index]))
            return .failure(Refusal(message: "error parsing query parameters: invalid character '\(c)' looking for beginning of value"))
        }
        let members: [(String, JSONValue)]
        switch document {
        case .object(let m): members = m
        case .null: return .success([:])
        case .array: return .failure(Refusal(message: unmarshal("array")))
        case .string: return .failure(Refusal(message: unmarshal("string")))
        case .number: return .failure(Refusal(message: unmarshal("number")))
        case .bool: return .failure(Refusal(message: unmarshal("bool")))
        }
        var out: [String: BoundParameter] = [:]
        for (name, value) in members {
            switch value {
            case .number(let n):
                if n.contains(".") {
                    guard let v = Double(n) else { return .failure(Refusal(message: "error parsing json value: strconv.ParseFloat: parsing \"\(n)\": invalid syntax")) }
                    out[name] = .number(v)
                } else {
                    guard let v = Int64(n) else {
                        let reason = n.allSatisfy { $0.isASCII && ($0.isNumber || $0 == "-") } ? "value out of range" : "invalid syntax"
                        return .failure(Refusal(message: "error parsing json value: strconv.ParseInt: parsing \"\(n)\": \(reason)"))
                    }
                    out[name] = .integer(v)
                }
            case .string(let s): out[name] = .string(s)
            case .bool(let b): out[name] = .boolean(b)
            case .null: out[name] = .invalid("unable to bind parameter with type <nil>")
            case .array: out[name] = .invalid("unable to bind parameter with type []interface {}")
            case .object(let entries): out[name] = typed(entries)
            }
        }
        return .success(out)
    }

    static func unmarshal(_ kind: String) -> String {
        "error parsing query parameters: json: cannot unmarshal \(kind) into Go value of type map[string]interface {}"
    }

    /// `{"kind": value}`.
    static func typed(_ entries: [(String, JSONValue)]) -> BoundParameter {
        guard entries.count == 1 else { return .invalid("bound object parameter value must have exactly one entry") }
        let (kind, value) = entries[0]
        switch kind {
        case "identifier":
            guard case .string(let s) = value else { return .invalid("identifier must be a string value") }
            return .identifier(s)
        case "string":
            guard case .string(let s) = value else { return .invalid("string literal must be a string value") }
            return .string(s)
        case "integer":
            guard case .number(let n) = value, let v = Int64(n) else { return .invalid("integer literal must be an integer value") }
            return .integer(v)
        case "float", "number":
            guard case .number(let n) = value, let v = Double(n) else { return .invalid("number literal must be a float value") }
            return .number(v)
        case "duration":
            switch value {
            case .string(let s): return .duration(s)
            case .number(let n): if let v = Int64(n) { return .duration("\(v)ns") }
            default: break
            }
            return .invalid("duration must be a string or integer value")
        default:
            return .invalid("unknown bind object type: \(kind)")
        }
    }
}
