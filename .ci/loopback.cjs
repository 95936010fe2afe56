// Preloaded (node -r) before the official fake: its server calls listen(port) with no
// host, which binds every interface; this makes every such listen bind 127.0.0.1.
const net = require("node:net")
const listen = net.Server.prototype.listen
net.Server.prototype.listen = function (...args) {
  const first = args[0]
  if (typeof first === "number" || (typeof first === "string" && /^[0-9]+$/.test(first))) {
    if (typeof args[1] !== "string") args.splice(1, 0, "127.0.0.1")
  } else if (first && typeof first === "object" && first.host == null && first.path == null) {
    args[0] = { ...first, host: "127.0.0.1" }
  }
  return listen.apply(this, args)
}
