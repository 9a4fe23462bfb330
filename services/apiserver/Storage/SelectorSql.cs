using System.Text;
using Npgsql;
using NpgsqlTypes;
using Platform.Contracts.Resources;

namespace Platform.ApiServer.Storage;

/// <summary>Translates label and field selectors into parameterized SQL on the indexed columns.</summary>
internal static class SelectorSql
{
    public static void Append(StringBuilder sql, NpgsqlCommand cmd, Selector labels, FieldSelector fields)
    {
        foreach (var r in labels.Requirements)
        {
            var key = Param(cmd, r.Key);
            switch (r.Operator)
            {
                case SelectorOperator.Equals:
                    sql.Append($" AND labels->>{key} = {Param(cmd, r.Values[0])}");
                    break;
                case SelectorOperator.NotEquals:
                    sql.Append($" AND (labels->>{key}) IS DISTINCT FROM {Param(cmd, r.Values[0])}");
                    break;
                case SelectorOperator.In:
                    sql.Append($" AND labels->>{key} = ANY({Param(cmd, r.Values.ToArray())})");
                    break;
                case SelectorOperator.NotIn:
                    sql.Append($" AND NOT coalesce(labels->>{key} = ANY({Param(cmd, r.Values.ToArray())}), false)");
                    break;
                case SelectorOperator.Exists:
                    sql.Append($" AND labels ? {key}");
                    break;
                case SelectorOperator.DoesNotExist:
                    sql.Append($" AND NOT labels ? {key}");
                    break;
            }
        }
        foreach (var f in fields.Requirements)
        {
            var column = f.Field switch
            {
                "metadata.name" => "name",
                "metadata.namespace" => "namespace",
                "spec.nodeName" => "coalesce(node_name, '')",
                "status.phase" => "coalesce(phase, '')",
                "involvedObject.name" => "coalesce(body->'involvedObject'->>'name', '')",
                "involvedObject.kind" => "coalesce(body->'involvedObject'->>'kind', '')",
                _ => "coalesce(body->'involvedObject'->>'uid', '')",
            };
            sql.Append($" AND {column} {(f.Equal ? "=" : "<>")} {Param(cmd, f.Value)}");
        }
    }

    private static string Param(NpgsqlCommand cmd, string value)
    {
        cmd.Parameters.Add(new NpgsqlParameter { Value = value, NpgsqlDbType = NpgsqlDbType.Text });
        return "$" + cmd.Parameters.Count;
    }

    private static string Param(NpgsqlCommand cmd, string[] values)
    {
        cmd.Parameters.Add(new NpgsqlParameter { Value = values, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        return "$" + cmd.Parameters.Count;
    }
}
