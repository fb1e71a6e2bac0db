using NeoCloud.Infra.Core.Diagnostics;
using NeoCloud.Infra.Plan;

// PlanCommand.Run keeps the error contract itself (0 ok, 1 mandatory violations, 2 invalid input, 3 internal error);
// this outer guard covers what happens around it (a console that cannot be written).
return ErrorContract.Run("neocloud", args, Console.Error, () => PlanCommand.Run(args, Console.Out, Console.Error));
