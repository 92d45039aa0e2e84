package io.catchment.server;

/** What a process does: serve the API, run the job workers, or both (the default). */
public enum Role {
    API, WORKER, ALL;

    public boolean servesApi() {
        return this != WORKER;
    }

    public boolean runsWorkers() {
        return this != API;
    }
}
