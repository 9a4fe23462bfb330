namespace Platform.ApiServer.Protobuf;

/// <summary>How often a field may appear: once (proto2 <c>optional</c> or <c>required</c>), any number of times, or as map entries.</summary>
internal enum FieldLabel { Optional, Repeated, Map }
