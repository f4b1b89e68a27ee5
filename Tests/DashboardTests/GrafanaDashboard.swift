import Foundation

/// A Grafana dashboard file reduced to what the query tests need, read with JSONSerialization.
struct GrafanaDashboard: Sendable {
    var fileName: String
    var uid: String
    var title: String
    var schemaVersion: Int
    var panels: [Panel]
    var annotations: [Annotation]
    var variables: [Variable]

    struct DatasourceRef: Sendable, Hashable {
        var type: String?
        var uid: String?
    }

    struct GridPos: Sendable, Hashable {
        var x: Int, y: Int, w: Int, h: Int
    }

    struct Panel: Sendable {
        var id: Int?
        var title: String
        var type: String
        var datasource: DatasourceRef?
        var gridPos: GridPos?
        var unit: String?
        var targets: [Target]
    }

    /// One panel query: raw InfluxQL, or the builder fields Grafana renders into InfluxQL.
    struct Target: Sendable {
        var refId: String
        var datasource: DatasourceRef?
        var rawQuery: Bool
        var query: String?
        var builder: InfluxQLBuilderQuery
        var resultFormat: String?
        var hide: Bool
    }

    struct Annotation: Sendable {
        var name: String
        var datasource: DatasourceRef?
        var builtIn: Bool
        var query: String?
        var targetQuery: String?
    }

    struct Variable: Sendable {
        var name: String
        var type: String
        var datasource: DatasourceRef?
        var query: String?
        var multi: Bool
        var includeAll: Bool
        var allValue: String?
    }
}

extension GrafanaDashboard {
    /// Parses a dashboard JSON document (panels inside collapsed rows included).
    init(fileName: String, data: Data) throws {
        guard let root = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw DashboardTestError.notAnObject(fileName)
        }
        guard let uid = root["uid"] as? String else { throw DashboardTestError.missing("uid in \(fileName)") }
        guard let schema = root["schemaVersion"] as? Int else { throw DashboardTestError.missing("schemaVersion in \(fileName)") }
        self.fileName = fileName
        self.uid = uid
        self.title = root["title"] as? String ?? ""
        self.schemaVersion = schema
        var panels: [Panel] = []
        for object in root["panels"] as? [[String: Any]] ?? [] {
            panels.append(Self.panel(object))
            for nested in object["panels"] as? [[String: Any]] ?? [] { panels.append(Self.panel(nested)) }
        }
        self.panels = panels
        let annotationList = (root["annotations"] as? [String: Any])?["list"] as? [[String: Any]] ?? []
        self.annotations = annotationList.map(Self.annotation)
        let variableList = (root["templating"] as? [String: Any])?["list"] as? [[String: Any]] ?? []
        self.variables = variableList.map(Self.variable)
    }

    /// Loads a dashboard file from disk.
    static func load(_ url: URL) throws -> GrafanaDashboard {
        try GrafanaDashboard(fileName: url.lastPathComponent, data: Data(contentsOf: url))
    }

    static func datasource(_ any: Any?) -> DatasourceRef? {
        if let object = any as? [String: Any] {
            return DatasourceRef(type: object["type"] as? String, uid: object["uid"] as? String)
        }
        if let name = any as? String { return DatasourceRef(type: nil, uid: name) }
        return nil
    }

    static func panel(_ object: [String: Any]) -> Panel {
        var grid: GridPos?
        if let g = object["gridPos"] as? [String: Any], let x = g["x"] as? Int, let y = g["y"] as? Int,
           let w = g["w"] as? Int, let h = g["h"] as? Int {
            grid = GridPos(x: x, y: y, w: w, h: h)
        }
        let defaults = (object["fieldConfig"] as? [String: Any])?["defaults"] as? [String: Any]
        return Panel(
            id: object["id"] as? Int,
            title: object["title"] as? String ?? "",
            type: object["type"] as? String ?? "",
            datasource: datasource(object["datasource"]),
            gridPos: grid,
            unit: defaults?["unit"] as? String,
            targets: (object["targets"] as? [[String: Any]] ?? []).map(target)
        )
    }

    static func target(_ object: [String: Any]) -> Target {
        Target(
            refId: object["refId"] as? String ?? "",
            datasource: datasource(object["datasource"]),
            rawQuery: object["rawQuery"] as? Bool ?? false,
            query: object["query"] as? String,
            builder: InfluxQLBuilderQuery(json: object),
            resultFormat: object["resultFormat"] as? String,
            hide: object["hide"] as? Bool ?? false
        )
    }

    static func annotation(_ object: [String: Any]) -> Annotation {
        Annotation(
            name: object["name"] as? String ?? "",
            datasource: datasource(object["datasource"]),
            builtIn: (object["builtIn"] as? Int ?? 0) != 0,
            query: object["query"] as? String,
            targetQuery: (object["target"] as? [String: Any])?["query"] as? String
        )
    }

    static func variable(_ object: [String: Any]) -> Variable {
        // Current Grafana stores the InfluxDB variable query as an object; older files as a string.
        let query = (object["query"] as? [String: Any])?["query"] as? String ?? object["query"] as? String
        return Variable(
            name: object["name"] as? String ?? "",
            type: object["type"] as? String ?? "",
            datasource: datasource(object["datasource"]),
            query: query,
            multi: object["multi"] as? Bool ?? false,
            includeAll: object["includeAll"] as? Bool ?? false,
            allValue: (object["allValue"] as? String).flatMap { $0.isEmpty ? nil : $0 }
        )
    }
}

extension GrafanaDashboard.Target {
    /// The query text Grafana sends before macro expansion: raw text when raw mode is on and
    /// non-empty, else the builder rendering (the rule of Grafana's backend `Query.Build`).
    /// The query Grafana sends; `policy` is what the query editor's retention-policy selector
    /// picks for a builder-mode query (raw queries name their own).
    func queryText(policy: String? = nil) throws -> String {
        if rawQuery, let query, !query.isEmpty { return query }
        var builder = self.builder
        if let policy { builder.policy = policy }
        return try builder.render()
    }
}

extension GrafanaDashboard.Annotation {
    /// The InfluxQL of an InfluxDB annotation (current `target.query`, else legacy `query`).
    var influxQuery: String? { targetQuery ?? query }
}
