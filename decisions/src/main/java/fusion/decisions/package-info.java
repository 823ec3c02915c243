/**
 * Next-best action: given everything known about one customer at one instant
 * ({@link fusion.decisions.CustomerContext}), {@link fusion.decisions.DecisionService} answers with
 * one action on one channel at one time, or with nothing, and always says why. Actions are typed
 * plug-ins ({@link fusion.decisions.ActionType}) declared in a JSON
 * {@link fusion.decisions.Catalogue}; {@link fusion.decisions.Simulation} replays history through
 * the same service. Time is always passed in; nothing here reads a clock. See docs/DECISIONS.md.
 */
package fusion.decisions;
