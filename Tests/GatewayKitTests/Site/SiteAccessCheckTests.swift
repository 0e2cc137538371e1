import Testing
@testable import GatewayKit

/// Admins, keys and where SSH may come from: mistakes here lock the admin out.
@Suite struct SiteAccessCheckTests {
    static let ed25519 = "AAAAC3NzaC1lZDI1NTE5AAAAIAI0BlFU3w5C9pSxuIZ1Sn1HoBGE8XCJS1re3CBLw8qO"

    private func admin(_ key: String) -> String {
        MinimalSite.with(access: "access:\n  admins:\n    - name: alice\n      keys: [⟨\"\(key)\"]\n")
    }

    @Test func validKeyLoadsWithItsComment() throws {
        let loaded = try SiteLoader.load(yaml: MarkedSite(admin("ssh-ed25519 \(Self.ed25519) alice@laptop")).text, file: MarkedSite.file)
        #expect(loaded.site.access.admins.map(\.name) == ["alice"])
        #expect(loaded.site.access.admins[0].keys.map(\.comment) == ["alice@laptop"])
    }

    @Test func keyWhoseDataIsNotBase64() {
        expectSiteErrors(admin("ssh-ed25519 AAAA!!notbase64 alice@laptop"),
                         "admin 'alice' has a malformed SSH public key: the key data after 'ssh-ed25519' is not base64")
    }

    @Test func keyCutOffWhenPasted() {
        expectSiteErrors(admin("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAI0Bl alice@laptop"),
                         "admin 'alice' has a malformed SSH public key: the key data after 'ssh-ed25519' is not base64")
        expectSiteErrors(admin("ssh-ed25519 AAAAC3NzaC1l alice@laptop"),
                         "admin 'alice' has a malformed SSH public key: the key data after 'ssh-ed25519' is not an SSH key (cut off or pasted wrong?)")
    }

    @Test func keyWhoseDataIsAnotherType() {
        expectSiteErrors(admin("ssh-rsa \(Self.ed25519) alice@laptop"),
                         "admin 'alice' has a malformed SSH public key: the key data is a 'ssh-ed25519' key, but the line says 'ssh-rsa'")
    }

    @Test func keyOfUnknownType() {
        expectSiteErrors(admin("ssh-ed2551 \(Self.ed25519)"),
                         "admin 'alice' has a malformed SSH public key: unknown key type 'ssh-ed2551'; did you mean 'ssh-ed25519'?")
        expectSiteErrors(admin("\(Self.ed25519) alice@laptop"),
                         "admin 'alice' has a malformed SSH public key: unknown key type '\(Self.ed25519)'")
        expectSiteErrors(admin("ssh-dss AAAAB3NzaC1kc3MAAACBAP"),
                         "admin 'alice' has a malformed SSH public key: DSA keys ('ssh-dss') are disabled in OpenSSH; use ssh-ed25519")
    }

    @Test func keyWithoutData() {
        expectSiteErrors(admin("ssh-ed25519"),
                         "admin 'alice' has a malformed SSH public key: want 'TYPE BASE64 [comment]', e.g. 'ssh-ed25519 AAAA… alice@laptop'")
    }

    @Test func adminWithoutKeys() {
        expectSiteErrors(MinimalSite.with(access: "access:\n  admins:\n    - ⟨name: alice\n      keys: []\n"),
                         "admin 'alice' needs at least one SSH key: password logins are disabled")
        expectSiteErrors(MinimalSite.with(access: "access:\n  admins:\n    - ⟨name: alice\n"),
                         "'access.admins.0' needs 'keys'")
    }

    @Test func adminNamesMustBeUsersAndUnique() {
        let key = "[\"ssh-ed25519 \(Self.ed25519)\"]"
        expectSiteErrors(MinimalSite.with(access: "access:\n  admins:\n    - {name: ⟨Alice, keys: \(key)}\n"),
                         "admin name 'Alice' is not a valid Linux user name (lower case, digits, - and _)")
        expectSiteErrors(MinimalSite.with(access: "access:\n  admins:\n    - {name: alice, keys: \(key)}\n    - {name: ⟨alice, keys: \(key)}\n"),
                         "admin 'alice' is listed twice")
    }

    @Test func emptySSHAllowFrom() {
        expectSiteErrors(MinimalSite.with(access: "access:\n  ssh_allow_from: ⟨[]\n"), "'ssh_allow_from' is empty: nobody could log in")
    }

    /// An empty value means "not given" everywhere in the file, so a list with every entry commented out opens SSH to all.
    @Test func sshAllowFromLeftEmptyIsTheDefaultNotALockout() throws {
        let loaded = try SiteLoader.load(yaml: MinimalSite.with(access: "access:\n  ssh_allow_from:\n  #  - 192.0.2.0/24\n"), file: MarkedSite.file)
        #expect(loaded.site.access.sshAllowedSources.map(\.description) == ["0.0.0.0/0", "::/0"])
    }

    @Test func sshAllowFromWithHostBits() {
        expectSiteErrors(MinimalSite.with(access: "access:\n  ssh_allow_from: [⟨192.0.2.1/24]\n"),
                         "'192.0.2.1/24' in 'ssh_allow_from' is not an address prefix")
    }
}
