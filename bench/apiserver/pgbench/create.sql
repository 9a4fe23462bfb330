-- One pod create as the apiserver sends it (Storage/PendingWrite.cs, one pipelined batch): the resourceVersion lock
-- and nextval, the namespace check, the row, the history row, the outbox event, NOTIFY, COMMIT. :body carries the
-- placeholder :ph that SQL replaces with the drawn resourceVersion, as the apiserver's placeholder is.
\startpipeline
BEGIN;
SELECT nextval('apiserver_resource_version') FROM pg_advisory_xact_lock(7070001);
SELECT apiserver_expect(EXISTS (SELECT 1 FROM apiserver_objects WHERE kind = 'Namespace' AND namespace = '' AND name = 'bench'), 'AP404');
WITH w AS (INSERT INTO apiserver_objects (kind, namespace, name, uid, resource_version, labels, node_name, phase, owner_uids, body, secret_data)
    VALUES ('Pod', 'bench', 'p' || currval('apiserver_resource_version'), gen_random_uuid(), currval('apiserver_resource_version'), :labels::jsonb, NULL, 'Pending', '{}',
            replace(:body, :ph, '"' || currval('apiserver_resource_version') || '"')::json, NULL)
    ON CONFLICT DO NOTHING RETURNING 1)
SELECT apiserver_expect(count(*) = 1, 'AP409') FROM w;
INSERT INTO apiserver_changes (resource_version, kind, namespace, name, type, body)
    VALUES (currval('apiserver_resource_version'), 'Pod', 'bench', 'p' || currval('apiserver_resource_version'), 'Created',
            replace(:body, :ph, '"' || currval('apiserver_resource_version') || '"')::json);
INSERT INTO platform_outbox (topic, message_key, event_id, source, type, subject, event_time, content_type, data, extensions)
    VALUES ('platform.pods', 'bench/p', gen_random_uuid()::text, 'apiserver', 'io.platform.pod.created', 'pods/bench/p', now(), 'application/json',
            convert_to(replace(:body, :ph, '"' || currval('apiserver_resource_version') || '"'), 'UTF8'),
            jsonb_build_object('resourceversion', currval('apiserver_resource_version')::text));
SELECT pg_notify('platform_outbox', '');
COMMIT;
\endpipeline
