import BerthResources
import BerthTemplate
import Foundation

extension Synthesizer {
    /// The bootstrap template of the app, rendered, with its file name under the output
    /// directory (`bootstrap/<app>-bootstrap.template.json`). It depends on the app's name only:
    /// the app is built to learn it, and no environment is selected.
    func bootstrap(format: TemplateFormat) throws -> (fileName: String, text: String) {
        let app: App
        do {
            app = try definition.makeApp(configuration: configuration)
        } catch let error as ConfigurationError {
            throw error
        } catch {
            throw CommandFailure(.inputError, "the app's stack definitions failed: \(error)")
        }
        let longest = BootstrapTemplate.executionRoleName(app: app.name)
        guard longest.count <= 64 else {
            throw CommandFailure(.inputError, "the app's name \(app.name) is too long for the bootstrap role \(longest): IAM role names hold at most 64 characters")
        }
        let template = BootstrapTemplate(app: app.name).template
        if let problem = template.validate(stack: "\(app.name)-bootstrap").first {
            throw CommandFailure(.inputError, "the bootstrap template is invalid: \(problem)")
        }
        let value = template.templateValue
        return (
            BootstrapTemplate.fileName(app: app.name, fileExtension: format.fileExtension),
            format == .json ? value.jsonText() : value.yamlText()
        )
    }

    /// Writes the bootstrap template under `directory` (making `bootstrap/` when needed) and
    /// returns its path, and the paths of the bootstrap template in the other formats, removed
    /// (a file of its own, not a link), as a synth removes a stack's template written as the
    /// other format before. Nothing else is written: not the manifest, which never lists it, so a
    /// later synth's clean-up, which removes only plain file names the manifest lists, cannot
    /// reach it.
    static func writeBootstrap(_ rendered: (fileName: String, text: String), to directory: String) throws -> (path: String, removed: [String]) {
        let path = (directory as NSString).appendingPathComponent(rendered.fileName)
        do {
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        } catch {
            throw CommandFailure(.failure, "cannot create the output directory for \(path): \(error.localizedDescription)")
        }
        try OutputFile.replace(rendered.text, at: path)
        guard let stem = path.range(of: ".template.", options: .backwards).map({ path[..<$0.upperBound] }) else { return (path, []) }
        let others = TemplateFormat.allCases.map { String(stem) + $0.fileExtension }.filter { $0 != path }
        return (path, others.filter { other in
            var status = stat()
            return lstat(other, &status) == 0 && (status.st_mode & S_IFMT) == S_IFREG && unlink(other) == 0
        })
    }
}
