import ArgumentParser

/// The plan-time SSH lockout check plan and apply both run (in ``GatewaySession``) on the rules they would load.
struct FirewallCheckOptions: ParsableArguments {
    @Flag(name: .long, help: "Go on with firewall rules even if they would refuse the admins' SSH.")
    var forceFirewall = false
}
