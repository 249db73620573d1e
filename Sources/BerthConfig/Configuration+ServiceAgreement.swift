import BerthResources
import BerthTemplate

extension Configuration {
    /// What a service must be in every environment and template that has it: one kind (its
    /// stacks, the manifest and the deploy's order follow it), and for a job, one image (another
    /// service's, `image: {service: …}`, or its own repository's). Each mistake at its key in the
    /// file that differs from the first file naming the service.
    static func serviceAgreementProblems(_ files: [EnvironmentConfig]) -> [SourceError] {
        var first: [String: (file: EnvironmentConfig, settings: FargateService.Settings)] = [:]
        var errors: [SourceError] = []
        for file in files {
            for service in file.settings.services {
                guard let earlier = first[service.name] else {
                    first[service.name] = (file, service.value)
                    continue
                }
                let kind = service.value.kind, expectedKind = earlier.settings.kind
                if kind != expectedKind {
                    errors.append(
                        SourceError(
                            file: file.file, mark: file.mark(of: "kind", service: service.name) ?? file.positions["service"],
                            message: "\(file.keyPath("kind", service: service.name)): \(kind.rawValue) differs from \(expectedKind.rawValue) in "
                                + "\(earlier.file.file); every environment of the app must agree (a service is one kind everywhere)"))
                } else if kind == .job, service.value.job.imageOf != earlier.settings.job.imageOf {
                    errors.append(
                        SourceError(
                            file: file.file, mark: file.mark(of: "image", service: service.name) ?? file.positions["service"],
                            message: "\(file.keyPath("image", service: service.name)): \(image(service.value.job.imageOf)) differs from "
                                + "\(image(earlier.settings.job.imageOf)) in \(earlier.file.file); every environment of the app must agree "
                                + "(a job runs the images of one repository everywhere)"))
                }
            }
        }
        return errors
    }

    private static func image(_ service: String?) -> String {
        service.map { "{service: \($0)}" } ?? "its own repository (no image:)"
    }
}
