import Testing
@testable import GatewayKit
@testable import GluonKit

@Suite("GluonRemote: fastd remote strings as Gluon sites write them")
struct GluonRemoteTests {
    @Test(arguments: [
        (#""gw1.example.net" port 10000"#, GluonRemote(host: "gw1.example.net", port: 10000)),
        (#"ipv4 "gw1.example.net" port 10001"#, GluonRemote(host: "gw1.example.net", port: 10001, family: .ipv4)),
        (#"ipv6 "gw1.example.net" port 10002"#, GluonRemote(host: "gw1.example.net", port: 10002, family: .ipv6)),
        (#"ipv4 "89.163.253.62" port 14250"#, GluonRemote(host: "89.163.253.62", port: 14250, family: .ipv4, hostKind: .ipv4Address)),
        ("[2a01:4f8:171:2b48::119]:10011", GluonRemote(host: "2a01:4f8:171:2b48::119", port: 10011, family: .ipv6, hostKind: .ipv6Address)),
        ("[2a01:a700:48c1::5] port 10000", GluonRemote(host: "2a01:a700:48c1::5", port: 10000, family: .ipv6, hostKind: .ipv6Address)),
        ("138.201.20.119:10011", GluonRemote(host: "138.201.20.119", port: 10011, family: .ipv4, hostKind: .ipv4Address)),
        ("168.119.144.6 port 10000", GluonRemote(host: "168.119.144.6", port: 10000, family: .ipv4, hostKind: .ipv4Address)),
        (#"  "spaced.example"   port   65535  "#, GluonRemote(host: "spaced.example", port: 65535)),
    ])
    func everyWrittenFormIsRead(text: String, expected: GluonRemote) throws {
        #expect(try GluonRemote.parse(text) == expected)
    }

    @Test func descriptionIsFastdSyntaxThatReadsBack() throws {
        for text in [#""gw.example" port 1"#, #"ipv6 "gw.example" port 2"#, "[fd00::1]:3", "10.0.0.1:4"] {
            let remote = try GluonRemote.parse(text)
            #expect(remote.description == text)
            #expect(try GluonRemote.parse(remote.description) == remote)
        }
        #expect(try GluonRemote.parse(#"ipv4 "10.0.0.1" port 5"#).description == "10.0.0.1:5")
        #expect(try GluonRemote.parse("[fd00::1] port 6").description == "[fd00::1]:6")
    }

    @Test(arguments: [
        (#"ipv4 "xxx.somehost.invalid" port xxxxxx"#, "port 'xxxxxx' is not a number"),
        (#""gw.example" port 70000"#, "port 70000 is outside 1–65535"),
        (#""gw.example" port 0"#, "port 0 is outside 1–65535"),
        (#""gw.example""#, "expected 'port N' or ':N' after the host"),
        (#""gw.example port 10000"#, "the host name has no closing '\"'"),
        ("gw.example port 10000", "not a fastd remote; expected '\"host\" port N', 'ipv4 \"host\" port N', '[IPv6]:N' or 'IPv4:N'"),
        ("2001:db8::1:10000", "an IPv6 address must be written in brackets, as '[2001:db8::1]:PORT'"),
        ("[2001:db8::zz]:10000", "'2001:db8::zz' is not an IPv6 address"),
        ("300.1.1.1:10000", "not a fastd remote; expected '\"host\" port N', 'ipv4 \"host\" port N', '[IPv6]:N' or 'IPv4:N'"),
        (#"ipv6 "10.0.0.1" port 1"#, "'ipv6' does not match the address family of the host"),
        ("ipv4 10.0.0.1:1", "'ipv4' must be followed by a quoted host name"),
        ("", "not a fastd remote; expected '\"host\" port N', 'ipv4 \"host\" port N', '[IPv6]:N' or 'IPv4:N'"),
    ])
    func placeholdersAndTyposAreClearErrors(text: String, message: String) {
        #expect(throws: GluonRemoteError(text: text, message: message)) { try GluonRemote.parse(text) }
    }

    @Test func wireGuardEndpointsMayUseBareHostNames() throws {
        #expect(try GluonRemote.parseEndpoint("gw04.ext.ffmuc.net:40011") == GluonRemote(host: "gw04.ext.ffmuc.net", port: 40011))
        #expect(try GluonRemote.parseEndpoint("[fd00::1]:51820") == GluonRemote(host: "fd00::1", port: 51820, family: .ipv6, hostKind: .ipv6Address))
        #expect(throws: GluonRemoteError.self) { try GluonRemote.parseEndpoint("gw04.ext.ffmuc.net") }
    }
}
