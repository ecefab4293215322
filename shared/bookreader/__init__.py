"""BookReader AI domain package: everything the functions and the local runtime share."""
