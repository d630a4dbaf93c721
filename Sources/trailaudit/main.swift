import TrailAuditCLI

TrailAuditCommand.main()
