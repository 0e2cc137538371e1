import Foundation
import Logging
import Testing
@testable import GatewayKit

@Suite("TransportSpec: from a site's ssh: value to an open transport")
struct TransportSpecTests {
    @Test func readsLocalAndSSHTargets() throws {
        #expect(try TransportSpec(parsing: "local") == .local)
        #expect(try TransportSpec(parsing: "root@gw1.ffx.example") == .ssh(try SSHTarget(user: "root", host: "gw1.ffx.example")))
        #expect(throws: TransportError.self) { try TransportSpec(parsing: "root@") }
    }

    @Test func localFreshConnectionIsJustARun() async throws {
        let result = try await LocalShell(root: .asIs).runOverFreshConnection("echo fresh", stdin: Data(), timeout: .seconds(5))
        #expect(result.stdoutText == "fresh\n")
    }

    struct Planned: Error {}

    @Test func withTransportClosesTheMasterEvenWhenTheBodyThrows() async throws {
        try await SSHServer.with { server in
            var socket: String?
            var master: Int32?
            await #expect(throws: Planned.self) {
                try await TransportSpec.ssh(try SSHTarget(host: SSHServer.alias))
                    .withTransport(sshOptions: .init(configFile: server.clientConfig), logger: Logger(label: "test")) { transport in
                        let ssh = try #require(transport as? SSHTransport)
                        socket = ssh.controlPath
                        master = ssh.masterProcessID
                        #expect(try await transport.run("echo hi").stdoutText == "hi\n")
                        throw Planned()
                    }
            }
            let path = try #require(socket)
            #expect(!FileManager.default.fileExists(atPath: path))
            #expect(await ProcessState.endsSoon(try #require(master)))
            #expect(server.acceptedLogins == 1)
        }
    }
}
