// Test support: a TCP proxy on 127.0.0.1 in front of a local port that a test can cut (every open
// connection closed, new ones refused) and restore: an outage of a shared server without stopping it.
export async function cuttableProxy(targetPort: number) {
  type Pair = { client: Bun.Socket<Side>; upstream?: Bun.Socket<Side>; early: Uint8Array[] };
  type Side = { pair: Pair };
  const pairs = new Set<Pair>();
  let cut = false;
  const server = Bun.listen<Side>({
    hostname: "127.0.0.1",
    port: 0,
    socket: {
      async open(client) {
        if (cut) return void client.end();
        const pair: Pair = { client, early: [] };
        client.data = { pair };
        pairs.add(pair);
        try {
          pair.upstream = await Bun.connect<Side>({
            hostname: "127.0.0.1",
            port: targetPort,
            data: { pair },
            socket: {
              data: (_s, chunk) => void pair.client.write(chunk),
              close: () => void pair.client.end(),
              error: () => void pair.client.end(),
            },
          });
          for (const c of pair.early.splice(0)) pair.upstream.write(c);
        } catch {
          client.end();
        }
      },
      data(client, chunk) {
        const { pair } = client.data;
        if (pair.upstream) pair.upstream.write(chunk);
        else pair.early.push(new Uint8Array(chunk));
      },
      close(client) {
        client.data?.pair.upstream?.end();
        if (client.data) pairs.delete(client.data.pair);
      },
      error() {},
    },
  });
  return {
    port: server.port,
    cut() {
      cut = true;
      for (const p of pairs) {
        p.client.terminate();
        p.upstream?.terminate();
      }
      pairs.clear();
    },
    restore() {
      cut = false;
    },
    close() {
      this.cut();
      server.stop(true);
    },
  };
}
