/// The site's timezone on the gateway: /etc/timezone names it, and /etc/localtime is pointed at its zone file.
extension DesiredStateBuilder {
    func timezoneFiles() -> [ManagedFile] {
        [ManagedFile(path: "/etc/timezone", content: site.identity.timezone + "\n", triggers: [.command(.setTimezone)])]
    }
}
