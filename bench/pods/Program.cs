using System.Globalization;
using Platform.Bench.Pods;

// ./platform bench pods [pods=100] [rates=10,20,50,100]
//   through the running platform (./platform up): pods created unbound at each rate, bound by the scheduler,
//   started by the node agents; create→bound, bound→Ready and create→Ready per rate.
// ./platform bench pods --isolated [pods=100] [rate=10]
//   its own Postgres, mock Kafka, apiserver process and one in-process node agent; pods created already bound.
var isolated = args.Contains("--isolated");
var rest = args.Where(a => a != "--isolated").ToArray();
var count = rest.Length > 0 ? int.Parse(rest[0], CultureInfo.InvariantCulture) : 100;
if (isolated) return await Isolated.RunAsync(count, rest.Length > 1 ? int.Parse(rest[1], CultureInfo.InvariantCulture) : 10);
var rates = (rest.Length > 1 ? rest[1] : "10,20,50,100").Split(',').Select(r => int.Parse(r, CultureInfo.InvariantCulture)).ToList();
return await ThroughPlatform.RunAsync(count, rates);
