global using Platform.Scheduler.Cache;
global using Platform.Scheduler.Framework;
