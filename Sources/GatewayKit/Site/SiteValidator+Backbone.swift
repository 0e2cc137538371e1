/// The backbone's cross-checks: its taps are interfaces gwsetup creates, and a gateway whose key the site does not
/// hold yet is left out by every other gateway, which the admin should hear about at every run until it is fixed.
extension SiteValidator {
    mutating func checkBackbone() {
        guard site.backbone != nil else { return }
        let taps = Dictionary(site.domains.map { ($0.backboneInterface, $0.code) }, uniquingKeysWith: { first, _ in first })
        for (index, gateway) in site.gateways.enumerated() {
            if let code = taps[gateway.uplink] {
                fail("gateways.\(index).uplink", "uplink '\(gateway.uplink)' is the backbone interface gwsetup creates for domain '\(code)'; name the WAN interface")
            }
            if gateway.tincPublicKey == nil && site.gateways.count > 1 {
                warn("gateways.\(index).name", "gateway '\(gateway.name)' has no tinc_public_key yet: the other gateways leave it out of the backbone "
                     + "until the key its apply prints is in the site")
            }
        }
    }
}
