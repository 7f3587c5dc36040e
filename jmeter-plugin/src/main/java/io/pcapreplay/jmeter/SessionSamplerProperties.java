package io.pcapreplay.jmeter;

import org.apache.jmeter.samplers.AbstractSampler;

/**
 * The properties of the {@link PcapSessionSampler} as JMeter's TestBean machinery sets them before each sample (texts
 * that may hold {@code ${__P(name,default)}}, parsed by {@link SamplerSettings}); described for the GUI by
 * {@code PcapSessionSamplerBeanInfo}. Public: JMeter calls these accessors by reflection from its own package.
 */
public abstract class SessionSamplerProperties extends AbstractSampler {

    private static final long serialVersionUID = 1L;

    private String targetHost = "";
    private String targetPort = "0";
    private String targetMap = "";
    private String agentAddress = "";
    private String tokenFile = "";
    private String clientAddresses = "198.18.1.*";
    private String transport = PcapSessionSampler.RAW_IP;
    private String speedFactor = "1";
    private String connectTimeout = "10000";
    private String responseTimeout = "30000";
    private String idleTimeout = "30000";
    private boolean comet;
    private String responseBytes = "65536";
    private String labelStyle = "request-line";
    private boolean sessionParent;
    private String httpRules = "";
    private String labelPaths = "";
    private String requestRate = "0";

    public String getTargetHost() {
        return targetHost;
    }

    public void setTargetHost(String value) {
        targetHost = value;
    }

    public String getTargetMap() {
        return targetMap;
    }

    public void setTargetMap(String value) {
        targetMap = value;
    }

    public String getTargetPort() {
        return targetPort;
    }

    public void setTargetPort(String value) {
        targetPort = value;
    }

    public String getAgentAddress() {
        return agentAddress;
    }

    public void setAgentAddress(String value) {
        agentAddress = value;
    }

    public String getTokenFile() {
        return tokenFile;
    }

    public void setTokenFile(String value) {
        tokenFile = value;
    }

    public String getClientAddresses() {
        return clientAddresses;
    }

    public void setClientAddresses(String value) {
        clientAddresses = value;
    }

    public String getTransport() {
        return transport;
    }

    public void setTransport(String value) {
        transport = value;
    }

    public String getSpeedFactor() {
        return speedFactor;
    }

    public void setSpeedFactor(String value) {
        speedFactor = value;
    }

    public String getConnectTimeout() {
        return connectTimeout;
    }

    public void setConnectTimeout(String value) {
        connectTimeout = value;
    }

    public String getResponseTimeout() {
        return responseTimeout;
    }

    public void setResponseTimeout(String value) {
        responseTimeout = value;
    }

    public String getIdleTimeout() {
        return idleTimeout;
    }

    public void setIdleTimeout(String value) {
        idleTimeout = value;
    }

    public boolean isComet() {
        return comet;
    }

    public void setComet(boolean value) {
        comet = value;
    }

    public String getResponseBytes() {
        return responseBytes;
    }

    public void setResponseBytes(String value) {
        responseBytes = value;
    }

    public String getLabelStyle() {
        return labelStyle;
    }

    public void setLabelStyle(String value) {
        labelStyle = value;
    }

    public String getHttpRules() {
        return httpRules;
    }

    public void setHttpRules(String value) {
        httpRules = value;
    }

    public String getLabelPaths() {
        return labelPaths;
    }

    public void setLabelPaths(String value) {
        labelPaths = value;
    }

    public String getRequestRate() {
        return requestRate;
    }

    public void setRequestRate(String value) {
        requestRate = value;
    }

    public boolean isSessionParent() {
        return sessionParent;
    }

    public void setSessionParent(boolean value) {
        sessionParent = value;
    }
}
