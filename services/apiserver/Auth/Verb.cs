namespace Platform.ApiServer.Auth;

public enum Verb
{
    Get,
    List,
    Watch,
    Create,
    Update,
    Patch,
    Delete,
    DeleteCollection,
}
