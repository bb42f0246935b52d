"""The WeChat official-account channel, in and out, in one package.

In: `webhook` (the `/wechat` blueprint) -> `codec` (signatures, encryption, XML to `Incoming`) ->
`reply_window` (dedup of WeChat's retries and the 5-second answer window around the dialogue);
`recovery` takes over messages (and late-answer deliveries) whose process died.
Out: `outbound.send` is the only way a message leaves for WeChat; it uses `api` (wechatpy's client
with a shared token, or the development outbox). Tools: `simulator` (plays WeChat's server),
`simulator_page` (the console's chat page), `menu` and `cli` (`chat`, `menu sync`).
"""
