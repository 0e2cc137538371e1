/// Public halves of tinc host keys made by `tincd -K` (tinc 1.0.36), as apply prints them.
enum TincKeyFixtures {
    /// 2048 bits.
    static let gatewayA = "MIIBCgKCAQEAuQgEWn4kIBNkeG9rr8OGCLpsHkx6Ti/xbz4QDisGCeWNlkOsahZd2CdG3LYf8ZFOQ9UdR05pkYm/SXdPqN9Ll1/MYUEyrisEkhAU2oGEFgaVA7p9rADKnmEz+NpVhQbhWt8OEc+ZcC426GV3MgZpeZZFWG5kJ/nzrgzqH8Rca+lzkpOD24y1QzbnBnfcn0Wk778LoXFil9/T2dZG7mlA3VQrc1UnoTtXBcVeTcLWyPzg/vo5U+xFaw82aivZKSO3knsHIM8Fb/RPyHudEW0e1rbq71iy1o9HvvJ+TE0ymZWasJ8deIYcA5bguz5x5W8g5KMCdnKpe2dCIMY6/xd7gwIDAQAB"
    /// 2048 bits.
    static let gatewayB = "MIIBCgKCAQEA9Cb0FywYzs1qovpHVxRMEJtSE2+emmXesnuj3WFg/Uz8c2W+owd/+5osfLgWXQwnG2l8m29tkRkZWi7ffbNJ1GS+/eVDFjhIwO+o8izhGzFr5JbdW2Z3qWU1ypPVvohvM4HbF1rcmXdGXVDNma3S3dPAdBLPLMjtOP/U7UL06qiQlWtE3O7IHB8HqSfqCBQmWKzy5alWnrdPmBgZAV+VfcZj6igrqP/ghhIOt8vjYXbS4MDdwcbda/jSR+5h+fk7q8cb1PFCbVsd4HPs265WuNHwmXBj7pTybj+ThCabKE5k0lk/ks/ox+uQTzYVU0n7v3Ci5ta2SYcK+lGyj/X+xQIDAQAB"
    /// 1024 bits: too short for a host key here.
    static let short = "MIGJAoGBAJiQoDv2aMSdZfGssFqVvcjWCCFjxAmDC+4G7sWegyJOemF4eZI4OVy9VYl5DgmnbfF3z9QvG0deqeb2eRKFmVCnP61596sj0tuHY5zNkGxDVJk0ESL+VWv47vzMJXx0JI2lK3THey72b0YbZwLbyUaVdlmITuXObUGTNsGNMgl3AgMBAAE="
}
