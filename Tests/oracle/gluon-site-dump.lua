-- The test oracle for gwsetup's Gluon import and export: loads a site the way Gluon's build does and prints,
-- one canonical line each, the values a node's mesh VPN depends on, so two sites can be compared with diff.
-- Usage: lua5.1 gluon-site-dump.lua SITE.CONF [DOMAINS/CODE.conf ...]
-- Independent of gwsetup's own Lua parser on purpose: this is the Lua 5.1 Gluon itself runs.

-- `return ` in front of the file, run in an empty environment: a bare name is nil, a call fails.
local function load_config(path)
	local file = assert(io.open(path, 'r'))
	local text = file:read('*a')
	file:close()
	local chunk = assert(loadstring('return ' .. text, '=' .. path))
	return setfenv(chunk, {})()
end

local function entry_count(t)
	local n = 0
	for _ in pairs(t) do n = n + 1 end
	return n
end

local function is_list(t) return entry_count(t) == #t end

-- A node's configuration: the domain's value wins; tables merge key by key unless the domain's is empty,
-- or one side is a list and the other is not.
local function merged(site, domain)
	if domain == nil then return site end
	if type(site) ~= 'table' or type(domain) ~= 'table' then return domain end
	if next(domain) == nil then return site end
	if is_list(site) ~= is_list(domain) then return domain end
	local result = {}
	for k, v in pairs(site) do result[k] = v end
	for k, v in pairs(domain) do result[k] = merged(result[k], v) end
	return result
end

local function show(value)
	if type(value) == 'string' then return string.format('%q', value) end
	return tostring(value)
end

local function sorted_keys(t)
	local keys = {}
	for k in pairs(t) do keys[#keys + 1] = k end
	table.sort(keys, function(a, b) return tostring(a) < tostring(b) end)
	return keys
end

local function at(t, ...)
	for _, key in ipairs({...}) do
		if type(t) ~= 'table' then return nil end
		t = t[key]
	end
	return t
end

local out = {}
local function emit(...) out[#out + 1] = table.concat({...}, ' ') end

local function dump_list(name, list)
	if type(list) ~= 'table' then
		if list ~= nil then emit(name, show(list)) end
		return
	end
	local shown = {}
	for i = 1, #list do shown[i] = show(list[i]) end
	emit(name, table.concat(shown, ','))
end

local function dump_peers(path, peers)
	if type(peers) ~= 'table' then return end
	for _, name in ipairs(sorted_keys(peers)) do
		local peer = peers[name]
		local where = path .. '.peers.' .. tostring(name)
		emit('peer', where, 'key', show(at(peer, 'key')))
		local remotes = at(peer, 'remotes')
		if type(remotes) == 'table' then
			for i = 1, #remotes do emit('remote', where, tostring(i), show(remotes[i])) end
		end
	end
end

local function dump_groups(path, groups)
	if type(groups) ~= 'table' then return end
	for _, name in ipairs(sorted_keys(groups)) do
		local group = groups[name]
		local where = path .. '.groups.' .. tostring(name)
		emit('group', where, 'limit', show(at(group, 'limit')))
		dump_peers(where, at(group, 'peers'))
		dump_groups(where, at(group, 'groups'))
	end
end

local function dump_domain(code, config)
	emit('domain', code)
	emit('site_code', show(config.site_code))
	emit('prefix4', show(config.prefix4))
	emit('prefix6', show(config.prefix6))
	for _, path in ipairs({{'fastd_mesh_vpn', 'mtu'}, {'mesh_vpn', 'mtu'}, {'mesh_vpn', 'fastd', 'mtu'}}) do
		local mtu = at(config, unpack(path))
		if mtu ~= nil then emit('mtu', table.concat(path, '.'), show(mtu)) end
	end
	for _, path in ipairs({{'fastd_mesh_vpn'}, {'mesh_vpn', 'fastd'}}) do
		local fastd = at(config, unpack(path))
		if type(fastd) == 'table' then
			local name = table.concat(path, '.')
			emit('fastd', name)
			dump_list('methods ' .. name, fastd.methods)
			dump_groups(name, fastd.groups)
			-- Gluon up to 2015 had one group directly in fastd_mesh_vpn.
			if fastd.backbone ~= nil then
				emit('group', name .. '.backbone', 'limit', show(at(fastd, 'backbone', 'limit')))
				dump_peers(name .. '.backbone', at(fastd, 'backbone', 'peers'))
			end
		end
	end
	-- gluon-mesh-vpn-wireguard: mtu, and per peer the key and endpoint (check_site.lua's public_key and endpoint).
	local wireguard = at(config, 'mesh_vpn', 'wireguard')
	if type(wireguard) == 'table' then
		emit('wireguard', 'mtu', show(wireguard.mtu))
		local peers = wireguard.peers
		if type(peers) == 'table' then
			for _, name in ipairs(sorted_keys(peers)) do
				local peer = peers[name]
				emit('wgpeer', tostring(name), 'public_key', show(at(peer, 'public_key') or at(peer, 'publickey')), 'endpoint', show(at(peer, 'endpoint')))
			end
		end
	end
end

local site = load_config(arg[1])
if #arg == 1 then
	dump_domain('-', site)
else
	emit('default_domain', show(site.default_domain))
	local codes, configs = {}, {}
	for i = 2, #arg do
		local code = arg[i]:match('([^/]+)%.conf$')
		codes[#codes + 1] = code
		configs[code] = load_config(arg[i])
	end
	table.sort(codes)
	for _, code in ipairs(codes) do
		local domain = configs[code]
		emit('domain_names', code, table.concat((function()
			local names = {}
			for _, alias in ipairs(sorted_keys(domain.domain_names or {})) do names[#names + 1] = alias .. '=' .. show(domain.domain_names[alias]) end
			return names
		end)(), ','))
		dump_domain(code, merged(site, domain))
	end
end
io.write(table.concat(out, '\n'), '\n')
